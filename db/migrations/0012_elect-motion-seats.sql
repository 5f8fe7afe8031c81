ALTER TABLE "motions" ADD COLUMN "seats" integer;--> statement-breakpoint
ALTER TABLE "motions" ADD CONSTRAINT "motions_seats_range" CHECK ("seats" IS NULL OR "seats" BETWEEN 1 AND 50);
