ALTER TYPE "public"."proxy_status" ADD VALUE 'pending';--> statement-breakpoint
DROP INDEX "proxies_one_active_per_unit";--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "instructions" jsonb;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "filed_by_owner" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proxies" ADD COLUMN "decided_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "owner_proxies_need_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "owner_proxy_deadline_hours" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "proxies" ADD CONSTRAINT "proxies_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "proxies_one_active_per_unit" ON "proxies" USING btree ("assembly_id","grantor_unit_id") WHERE "proxies"."status" <> 'revoked';