ALTER TYPE "public"."proxy_status" ADD VALUE 'pending';--> statement-breakpoint
CREATE TABLE "assembly_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"agenda_item_id" uuid,
	"title" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"storage_key" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "proxies_one_active_per_unit";--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "instructions" jsonb;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "filed_by_owner" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "decided_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "owner_proxies_need_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "owner_proxy_deadline_hours" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assembly_documents" ADD CONSTRAINT "assembly_documents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assembly_documents" ADD CONSTRAINT "assembly_documents_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assembly_documents" ADD CONSTRAINT "assembly_documents_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assembly_documents" ADD CONSTRAINT "assembly_documents_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assembly_documents_organization_id_assembly_id_index" ON "assembly_documents" USING btree ("organization_id","assembly_id");--> statement-breakpoint
ALTER TABLE "proxies" ADD CONSTRAINT "proxies_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "proxies_one_active_per_unit" ON "proxies" USING btree ("assembly_id","grantor_unit_id") WHERE "proxies"."status" <> 'revoked';--> statement-breakpoint
-- Assembly documents are tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE assembly_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE assembly_documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON assembly_documents
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
