CREATE TABLE "desk_sign_in_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"issued_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "desk_sign_in_codes" ADD CONSTRAINT "desk_sign_in_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_sign_in_codes" ADD CONSTRAINT "desk_sign_in_codes_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "desk_sign_in_codes_code_hash_index" ON "desk_sign_in_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "desk_sign_in_codes_expires_at_index" ON "desk_sign_in_codes" USING btree ("expires_at");--> statement-breakpoint
-- Platform-level like otp_codes (looked up before any PH is known): no tenant column, no RLS.
DO $$
BEGIN
  GRANT SELECT, INSERT, UPDATE, DELETE ON desk_sign_in_codes TO assembly_app;
EXCEPTION WHEN undefined_object THEN NULL;
END
$$;
