CREATE TABLE "assembly_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"changed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"days_before" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "convener_position" text;--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "noticed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "notice_window_override" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "notice_ordinary_min_days" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "notice_ordinary_max_days" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "notice_extraordinary_min_days" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "notice_extraordinary_max_days" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "reminder_days_before" integer[] DEFAULT '{7,1}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "assembly_notices" ADD CONSTRAINT "assembly_notices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assembly_notices" ADD CONSTRAINT "assembly_notices_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_reminders" ADD CONSTRAINT "notice_reminders_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_reminders" ADD CONSTRAINT "notice_reminders_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assembly_notices_assembly_id_sent_at_index" ON "assembly_notices" USING btree ("assembly_id","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_reminders_assembly_id_days_before_index" ON "notice_reminders" USING btree ("assembly_id","days_before");--> statement-breakpoint
CREATE INDEX "notice_reminders_due" ON "notice_reminders" USING btree ("due_at") WHERE "notice_reminders"."sent_at" is null;--> statement-breakpoint
-- The notices sent are tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE assembly_notices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE assembly_notices FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON assembly_notices
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');

--> statement-breakpoint
-- Reminders are tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE notice_reminders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notice_reminders FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON notice_reminders
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
