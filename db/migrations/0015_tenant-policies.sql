-- The tenant isolation policy is now declared with each tenant table (db/schema/tenant-table.ts), so
-- drizzle-kit knows it. Migrations 0002-0014 created the same policies by hand, under the same name:
-- each is dropped and created again from the declaration, in the migration's transaction. FORCE ROW
-- LEVEL SECURITY, which drizzle-kit cannot declare, stays as those migrations set it.
ALTER TABLE "acta_seals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "acta_sign_offs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "agenda_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assemblies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assembly_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assembly_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "attendance" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notice_reminders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "proxies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "quorum_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "communication_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "communications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assembly_documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "motions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "result_snapshots" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "votes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "speaker_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ownerships" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "people" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "units" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "acta_seals";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "acta_seals" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "acta_sign_offs";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "acta_sign_offs" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "agenda_items";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "agenda_items" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "assemblies";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assemblies" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "assembly_events";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assembly_events" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "assembly_notices";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assembly_notices" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "attendance";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "attendance" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "notice_reminders";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notice_reminders" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "proxies";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "proxies" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "quorum_log";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quorum_log" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "communication_deliveries";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "communication_deliveries" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "communications";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "communications" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "assembly_documents";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assembly_documents" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "mail_deliveries";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "mail_deliveries" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "motions";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "motions" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "result_snapshots";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "result_snapshots" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "votes";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "votes" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "speaker_requests";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "speaker_requests" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "ownerships";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ownerships" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "people";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "people" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');--> statement-breakpoint
DROP POLICY IF EXISTS "tenant_isolation" ON "units";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "units" AS PERMISSIVE FOR ALL TO public USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform') WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid OR current_setting('app.scope', true) = 'platform');