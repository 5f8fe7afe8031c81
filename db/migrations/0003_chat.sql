CREATE TYPE "public"."chat_channel" AS ENUM('telegram', 'whatsapp');--> statement-breakpoint
CREATE TABLE "chat_link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" "chat_channel" NOT NULL,
	"external_chat_id" text NOT NULL,
	"external_user_id" text,
	"user_id" uuid NOT NULL,
	"linked_via" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"muted" boolean DEFAULT false NOT NULL,
	"language" text DEFAULT 'es' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chat_link_codes" ADD CONSTRAINT "chat_link_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_links" ADD CONSTRAINT "chat_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_link_codes_code_hash_index" ON "chat_link_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "chat_link_codes_user_id_index" ON "chat_link_codes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "chat_link_codes_expires_at_index" ON "chat_link_codes" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_links_channel_external_chat_id_index" ON "chat_links" USING btree ("channel","external_chat_id");--> statement-breakpoint
CREATE INDEX "chat_links_user_id_index" ON "chat_links" USING btree ("user_id");--> statement-breakpoint
-- Chat identities belong to users, not to a PH: no row-level security. The default privileges of
-- 0002 already cover new tables; the explicit grant keeps that true whoever runs the migration.
DO $$
BEGIN
  GRANT SELECT, INSERT, UPDATE, DELETE ON chat_links, chat_link_codes TO assembly_app;
EXCEPTION WHEN undefined_object THEN NULL;
END
$$;
