-- Tenant isolation, second wall: the application connects with the non-superuser role
-- assembly_app (SET ROLE at connect), and every tenant table lets it see only the rows of the
-- organization set for the transaction (app.organization_id, see db/tenant.ts). Platform-level
-- work (seed, linking a new user to their PH records) opts in explicitly with app.scope=platform.
DO $$
BEGIN
  CREATE ROLE assembly_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT assembly_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO assembly_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO assembly_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO assembly_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO assembly_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO assembly_app;
--> statement-breakpoint
-- Append-only records: the application may add to them, never rewrite or delete them.
REVOKE UPDATE, DELETE ON audit_log, result_snapshots FROM assembly_app;
--> statement-breakpoint
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'units', 'people', 'ownerships', 'assemblies', 'assembly_events', 'agenda_items', 'proxies',
    'attendance', 'quorum_log', 'motions', 'votes', 'result_snapshots'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', tenant_table);
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
