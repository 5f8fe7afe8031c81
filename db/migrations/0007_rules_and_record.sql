ALTER TYPE "public"."membership_role" ADD VALUE 'auditor';--> statement-breakpoint
ALTER TABLE "assemblies" ADD COLUMN "record" jsonb;--> statement-breakpoint
ALTER TABLE "quorum_log" ADD COLUMN "present_owners" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quorum_log" ADD COLUMN "total_owners" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "arrears_voting" text DEFAULT 'voice_no_vote' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "seal_named_results" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_arrears_voting_check" CHECK ("arrears_voting" IN ('voice_no_vote', 'full_vote'));
