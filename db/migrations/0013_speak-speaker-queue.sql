CREATE TYPE "public"."speaker_status" AS ENUM('waiting', 'speaking', 'done', 'withdrawn', 'skipped');--> statement-breakpoint
CREATE TABLE "speaker_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"agenda_item_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"unit_numbers" text[] NOT NULL,
	"status" "speaker_status" DEFAULT 'waiting' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "speaker_requests" ADD CONSTRAINT "speaker_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaker_requests" ADD CONSTRAINT "speaker_requests_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaker_requests" ADD CONSTRAINT "speaker_requests_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speaker_requests" ADD CONSTRAINT "speaker_requests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "speaker_requests_one_open_per_person" ON "speaker_requests" USING btree ("agenda_item_id","person_id") WHERE "speaker_requests"."status" in ('waiting', 'speaking');--> statement-breakpoint
CREATE UNIQUE INDEX "speaker_requests_one_speaking" ON "speaker_requests" USING btree ("assembly_id") WHERE "speaker_requests"."status" = 'speaking';--> statement-breakpoint
CREATE INDEX "speaker_requests_assembly_id_agenda_item_id_requested_at_index" ON "speaker_requests" USING btree ("assembly_id","agenda_item_id","requested_at");--> statement-breakpoint
-- The speaker queue is tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE speaker_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE speaker_requests FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON speaker_requests
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
