CREATE TABLE "mail_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"person_id" uuid,
	"kind" text NOT NULL,
	"subject_id" uuid,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD CONSTRAINT "mail_deliveries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD CONSTRAINT "mail_deliveries_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_deliveries_organization_id_created_at_index" ON "mail_deliveries" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "mail_deliveries_organization_id_subject_id_index" ON "mail_deliveries" USING btree ("organization_id","subject_id");--> statement-breakpoint
-- The delivery log is tenant data: the same isolation policy as every tenant table (0002).
ALTER TABLE mail_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE mail_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON mail_deliveries
  USING (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform')
  WITH CHECK (organization_id = nullif(current_setting('app.organization_id', true), '')::uuid
    OR current_setting('app.scope', true) = 'platform');
--> statement-breakpoint
-- A person record and a user account link by email whenever either appears, in any PH: a person
-- created, imported or given an email that already has an account is linked at once (before, only the
-- next sign-in linked it). Signing up links the other way (core/auth/otp.ts).
CREATE OR REPLACE FUNCTION link_person_to_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.email IS DISTINCT FROM OLD.email THEN
    IF NEW.email IS NULL THEN
      IF TG_OP = 'UPDATE' THEN
        NEW.user_id := NULL;
      END IF;
    ELSE
      NEW.user_id := COALESCE(
        (SELECT id FROM users WHERE lower(users.email) = lower(NEW.email) LIMIT 1),
        CASE WHEN TG_OP = 'INSERT' THEN NEW.user_id ELSE NULL END
      );
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER people_link_user BEFORE INSERT OR UPDATE OF email ON people
  FOR EACH ROW EXECUTE FUNCTION link_person_to_user();
