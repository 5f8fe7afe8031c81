CREATE TYPE "public"."acta_officer_role" AS ENUM('president', 'secretary');--> statement-breakpoint
CREATE TYPE "public"."acta_status" AS ENUM('draft', 'reviewed', 'final');--> statement-breakpoint
CREATE TABLE "acta_seals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"record_hash" text NOT NULL,
	"previous_hash" text,
	"hash" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "acta_sign_offs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"role" "acta_officer_role" NOT NULL,
	"signer_name" text NOT NULL,
	"user_id" uuid,
	"record_hash" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "acta_status" "acta_status";--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "acta_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "acta_reviewed_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "acta_seals" ADD CONSTRAINT "acta_seals_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acta_seals" ADD CONSTRAINT "acta_seals_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acta_sign_offs" ADD CONSTRAINT "acta_sign_offs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acta_sign_offs" ADD CONSTRAINT "acta_sign_offs_assembly_id_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acta_sign_offs" ADD CONSTRAINT "acta_sign_offs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "acta_seals_assembly_id_index" ON "acta_seals" USING btree ("assembly_id");--> statement-breakpoint
CREATE UNIQUE INDEX "acta_seals_organization_id_sequence_index" ON "acta_seals" USING btree ("organization_id","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "acta_sign_offs_assembly_id_role_index" ON "acta_sign_offs" USING btree ("assembly_id","role");--> statement-breakpoint
CREATE INDEX "acta_sign_offs_organization_id_index" ON "acta_sign_offs" USING btree ("organization_id");--> statement-breakpoint
ALTER TABLE "assemblies" ADD CONSTRAINT "assemblies_acta_reviewed_by_user_id_users_id_fk" FOREIGN KEY ("acta_reviewed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Acta sign-offs and seals are tenant data: the same isolation policy as every tenant table (0002).
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['acta_sign_offs', 'acta_seals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I '
      'USING (organization_id = nullif(current_setting(''app.organization_id'', true), '''')::uuid '
      'OR current_setting(''app.scope'', true) = ''platform'') '
      'WITH CHECK (organization_id = nullif(current_setting(''app.organization_id'', true), '''')::uuid '
      'OR current_setting(''app.scope'', true) = ''platform'')',
      tenant_table
    );
  END LOOP;
END
$$;
--> statement-breakpoint
-- A seal is a link of a hash chain: the application adds them, never rewrites or deletes them. A
-- sign-off is never rewritten (an edit before the acta is final removes it instead).
REVOKE UPDATE, DELETE ON acta_seals FROM assembly_app;
--> statement-breakpoint
REVOKE UPDATE ON acta_sign_offs FROM assembly_app;
--> statement-breakpoint
-- A final acta is immutable: neither its record nor its status may change afterwards, whatever the path.
CREATE OR REPLACE FUNCTION acta_final_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.acta_status = 'final'
    AND (NEW.record IS DISTINCT FROM OLD.record OR NEW.acta_status IS DISTINCT FROM OLD.acta_status) THEN
    RAISE EXCEPTION 'acta % is final', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER acta_final_is_immutable BEFORE UPDATE ON assemblies
  FOR EACH ROW EXECUTE FUNCTION acta_final_is_immutable();
