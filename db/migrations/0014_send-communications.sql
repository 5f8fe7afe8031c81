ALTER TYPE "public"."proxy_status" ADD VALUE 'refused';--> statement-breakpoint
CREATE TABLE "communication_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"communication_id" uuid NOT NULL,
	"unit_id" uuid,
	"unit_number" text NOT NULL,
	"person_id" uuid,
	"person_name" text,
	"channel" text NOT NULL,
	"recipient" text,
	"status" text NOT NULL,
	"error" text,
	"mail_delivery_id" uuid,
	"recorded_by_user_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by_user_id" uuid,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "proxies_one_active_per_unit";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "summary_delay_hours" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "communication_deliveries" ADD CONSTRAINT "communication_deliveries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_deliveries" ADD CONSTRAINT "communication_deliveries_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_deliveries" ADD CONSTRAINT "communication_deliveries_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_deliveries" ADD CONSTRAINT "communication_deliveries_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communication_deliveries_communication_id_unit_number_index" ON "communication_deliveries" USING btree ("communication_id","unit_number");--> statement-breakpoint
CREATE INDEX "communication_deliveries_organization_id_index" ON "communication_deliveries" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "communications_organization_id_assembly_id_created_at_index" ON "communications" USING btree ("organization_id","assembly_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "communications_one_automatic_summary" ON "communications" USING btree ("assembly_id") WHERE "communications"."kind" = 'summary' and "communications"."trigger" = 'automatic';--> statement-breakpoint
CREATE UNIQUE INDEX "proxies_one_active_per_unit" ON "proxies" USING btree ("assembly_id","grantor_unit_id") WHERE "proxies"."status" = 'active' or ("proxies"."status" <> 'revoked' and "proxies"."decided_at" is null);--> statement-breakpoint
-- Communications are tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE communications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE communications FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON communications
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
--> statement-breakpoint
-- Communications are tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE communication_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE communication_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON communication_deliveries
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
