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
