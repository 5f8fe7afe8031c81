import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { getTableConfig, PgDialect, PgTable } from 'drizzle-orm/pg-core'
import { createMotion, openMotion } from '../core/motions/motions.ts'
import { closeMotion } from '../core/motions/results.ts'
import {
  addAgendaItem,
  addPerson,
  addProxy,
  castAndCommit,
  createScenario,
  createTestVotePath,
  type Scenario,
  type TestVotePath,
} from '../core/motions/testing.ts'
import { type Database, type DatabaseHandle, rowsOf } from './client.ts'
import * as schema from './schema/index.ts'
import { isTenantTable, TENANT_POLICY } from './schema/tenant-table.ts'
import { createTestDatabase } from './testing.ts'

/*
 * Row-level security on every tenant table, generated from the drizzle schema: a table that gets an
 * organization_id column is covered the day it is added (declared through `tenantTable`, or listed
 * below with the reason it is installation-wide). For each one, the migrated database has RLS enabled
 * and forced with exactly the declared policy, the application role under PH A's tenant setting
 * neither sees nor changes PH B's rows, and the append-only records refuse UPDATE and DELETE outright.
 */

/** Tables with an organization_id that are read before any PH is known, so RLS cannot apply. */
const INSTALLATION_WIDE: Record<string, string> = {
  audit_log: 'one hash chain for the installation; organization_id is informative and may be null',
  memberships: 'read by user id to find which PHs a signed-in user belongs to',
  api_keys: 'looked up by the hash of the presented key, before the PH is known',
}

/** Append-only for the application role: rewriting them would falsify the record. */
const APPEND_ONLY = ['audit_log', 'result_snapshots']

const tablesWithOrganization = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => value instanceof PgTable)
  .filter((table) => getTableConfig(table).columns.some((column) => column.name === 'organizationId'))
const nameOf = (table: PgTable) => getTableConfig(table).name
const tenantTables = tablesWithOrganization.map(nameOf).sort()
const rlsTables = tenantTables.filter((name) => !(name in INSTALLATION_WIDE))

let handle: DatabaseHandle
let votePath: TestVotePath
let db: Database
let a: Scenario
let b: Scenario

/** A PH with a row in every tenant table: units, owners, attendance, a proxy, an agenda, a closed vote. */
async function populatedPh(): Promise<Scenario> {
  const ph = await createScenario(db, {
    units: [
      { number: '1', coefficient: '60', present: 'in_person' },
      { number: '2', coefficient: '40', present: 'remote' },
    ],
  })
  const actor = { userId: null }
  const { organizationId, assemblyId } = ph
  const agendaItemId = await addAgendaItem(db, ph, { position: 1, title: 'Presupuesto' })
  await db
    .insert(schema.speakerRequests)
    .values({ organizationId, assemblyId, agendaItemId, personId: ph.owner('1'), unitNumbers: ['1'] })
  await addProxy(db, ph, { unitNumber: '2', holderPersonId: await addPerson(db, ph, 'Apoderada') })
  await db.insert(schema.assemblyEvents).values({ organizationId, assemblyId, kind: 'started' })
  await db.insert(schema.quorumLog).values({
    organizationId,
    assemblyId,
    call: 'first',
    presentCoefficient: '100',
    totalCoefficient: '100',
    presentUnits: 2,
    totalUnits: 2,
    reached: true,
  })
  await db.insert(schema.mailDeliveries).values({
    organizationId,
    personId: ph.owner('1'),
    kind: 'notice',
    subjectId: assemblyId,
    recipient: 'propietario@example.com',
    subject: 'Convocatoria',
    status: 'accepted',
  })
  await db.insert(schema.assemblyNotices).values({
    organizationId,
    assemblyId,
    kind: 'notice',
    subject: 'Convocatoria',
    text: 'Orden del día',
    html: '<p>Orden del día</p>',
  })
  await db
    .insert(schema.noticeReminders)
    .values({ organizationId, assemblyId, daysBefore: 7, dueAt: new Date() })
  await db.insert(schema.assemblyDocuments).values({
    organizationId,
    assemblyId,
    title: 'Presupuesto',
    fileName: 'presupuesto.pdf',
    contentType: 'application/pdf',
    sizeBytes: 10,
    storageKey: `${organizationId}/${crypto.randomUUID()}`,
  })
  const [communication] = await db
    .insert(schema.communications)
    .values({
      organizationId,
      assemblyId,
      kind: 'summary',
      trigger: 'admin',
      subject: 'Resumen',
      text: 'Decisiones',
      html: '<p>Decisiones</p>',
    })
    .returning()
  await db.insert(schema.communicationDeliveries).values({
    organizationId,
    communicationId: communication!.id,
    unitId: ph.unit('1'),
    unitNumber: '1',
    channel: 'none',
    status: 'no_contact',
  })
  await db.insert(schema.actaSignOffs).values({
    organizationId,
    assemblyId,
    role: 'president',
    signerName: 'Presidenta',
    recordHash: 'a'.repeat(64),
  })
  await db.insert(schema.actaSeals).values({
    organizationId,
    assemblyId,
    sequence: 1,
    recordHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
    sealedAt: new Date(),
  })
  const motion = await createMotion(db, { organizationId, assemblyId, actor, title: 'Presupuesto' })
  await openMotion(db, { organizationId, motionId: motion.id, actor })
  await castAndCommit(votePath, {
    organizationId,
    motionId: motion.id,
    actor: { userId: null, personId: ph.owner('1') },
    channel: 'web',
    ballots: [{ unitId: ph.unit('1'), optionKeys: ['yes'] }],
  })
  await closeMotion(db, { organizationId, motionId: motion.id, actor })
  return ph
}

/** Runs `query` as the application role with `organizationId` as the tenant, in a transaction. */
function asApp<T>(organizationId: string | null, query: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local role assembly_app`)
    if (organizationId)
      await tx.execute(sql`select set_config('app.organization_id', ${organizationId}, true)`)
    return query(tx as unknown as Database)
  })
}

const countIn = async (tx: Database, table: string, organizationId: string) => {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)} where organization_id = ${organizationId}`,
    ),
  )
  return row!.n
}

type PolicyRow = {
  name: string
  permissive: string
  roles: string[]
  command: string
  using: string
  check: string
}

/** The policy on `table` as PostgreSQL stores it (expressions deparsed, so spelling does not matter). */
async function policyIn(tx: Database, table: string): Promise<PolicyRow | undefined> {
  const [row] = rowsOf<PolicyRow>(
    await tx.execute(sql`
      select policyname as name, permissive, roles::text[] as roles, cmd as command, qual as using,
        with_check as "check"
      from pg_policies where tablename = ${table}`),
  )
  return row
}

let declared: Promise<PolicyRow | undefined> | null = null

/**
 * The policy `tenantTable` declares, as PostgreSQL stores it: created from the drizzle declaration on
 * a scratch table in a transaction that is rolled back.
 */
const declaredPolicy = () => {
  declared ??= probeDeclaredPolicy()
  return declared
}

async function probeDeclaredPolicy(): Promise<PolicyRow | undefined> {
  const policy = getTableConfig(schema.units).policies.find((candidate) => candidate.name === TENANT_POLICY)!
  const dialect = new PgDialect()
  const render = (expression: typeof policy.using) => sql.raw(dialect.sqlToQuery(expression!).sql)
  const rollback = new Error('rollback')
  let row: PolicyRow | undefined
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`create table tenant_policy_probe (organization_id uuid)`)
      await tx.execute(sql`create policy ${sql.identifier(policy.name)} on tenant_policy_probe
        as ${sql.raw(policy.as!)} for ${sql.raw(policy.for!)} to ${sql.raw(String(policy.to))}
        using (${render(policy.using)}) with check (${render(policy.withCheck)})`)
      row = await policyIn(tx as unknown as Database, 'tenant_policy_probe')
      throw rollback
    })
    .catch((error) => {
      if (error !== rollback) throw error
    })
  return row
}

/** Rows of every RLS table of `organizationId`, as the owner sees them. */
async function snapshotOf(organizationId: string) {
  const out: Record<string, string> = {}
  for (const table of rlsTables) {
    const rows = rowsOf<{ t: string }>(
      await db.execute(
        sql`select coalesce(string_agg(x::text, '|' order by x::text), '') as t from ${sql.identifier(table)} x where organization_id = ${organizationId}`,
      ),
    )
    out[table] = rows[0]!.t
  }
  return out
}

beforeAll(async () => {
  handle = await createTestDatabase()
  votePath = createTestVotePath(handle.db)
  db = handle.db
  a = await populatedPh()
  b = await populatedPh()
}, 60_000)
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

describe('row-level security on every tenant table', () => {
  it('finds the tenant tables in the schema, and every listed exception still exists', () => {
    expect(rlsTables).toContain('votes')
    expect(rlsTables).toContain('result_snapshots')
    for (const name of Object.keys(INSTALLATION_WIDE)) expect(tenantTables).toContain(name)
  })

  it('declares every table with an organization_id through tenantTable, unless installation-wide', () => {
    const escaped = tablesWithOrganization.filter((table) => !isTenantTable(table)).map(nameOf)
    expect(escaped.sort()).toEqual(Object.keys(INSTALLATION_WIDE).sort())
  })

  it.each(rlsTables)('%s: has RLS enabled and forced, with a policy', async (table) => {
    const [row] = rowsOf<{ enabled: boolean; forced: boolean; policies: number }>(
      await db.execute(sql`
        select c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policies p where p.tablename = c.relname) as policies
        from pg_class c where c.relname = ${table} and c.relnamespace = 'public'::regnamespace`),
    )
    expect(row).toEqual({ enabled: true, forced: true, policies: 1 })
  })

  it.each(rlsTables)('%s: its policy in the database is the one tenantTable declares', async (table) => {
    const declared = await declaredPolicy()
    expect(declared).toMatchObject({ name: TENANT_POLICY, permissive: 'PERMISSIVE', command: 'ALL' })
    expect(await policyIn(db, table)).toEqual(declared)
  })

  it.each(rlsTables)(
    "%s: PH A's tenant sees none of PH B's rows, and no rows without a tenant",
    async (table) => {
      // The fixture gives PH B rows in this table, so "sees none" is not trivially true.
      expect(await countIn(db, table, b.organizationId)).toBeGreaterThan(0)
      expect(await asApp(a.organizationId, (tx) => countIn(tx, table, b.organizationId))).toBe(0)
      expect(await asApp(a.organizationId, (tx) => countIn(tx, table, a.organizationId))).toBeGreaterThan(0)
      const [all] = rowsOf<{ n: number }>(
        await asApp(null, (tx) => tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)),
      )
      expect(all!.n).toBe(0)
    },
  )

  it.each(rlsTables)("%s: PH A's tenant can neither update nor delete PH B's rows", async (table) => {
    const before = await snapshotOf(b.organizationId)
    const attempt = async (statement: ReturnType<typeof sql>) => {
      try {
        return rowsOf(await asApp(a.organizationId, (tx) => tx.execute(statement))).length
      } catch {
        return 0 // refused outright (the append-only tables): nothing changed either
      }
    }
    const target = sql.identifier(table)
    expect(
      await attempt(
        sql`update ${target} set organization_id = organization_id where organization_id = ${b.organizationId} returning 1`,
      ),
    ).toBe(0)
    expect(
      await attempt(sql`delete from ${target} where organization_id = ${b.organizationId} returning 1`),
    ).toBe(0)
    expect(await snapshotOf(b.organizationId)).toEqual(before)
  })

  it.each(APPEND_ONLY)(
    '%s: refuses UPDATE and DELETE by the application role, even of its own rows',
    async (table) => {
      const target = sql.identifier(table)
      const refusal = async (statement: ReturnType<typeof sql>) => {
        try {
          await asApp(a.organizationId, (tx) => tx.execute(statement))
          return 'accepted'
        } catch (error) {
          return String((error as Error).cause ?? error)
        }
      }
      expect(await countIn(db, table, a.organizationId)).toBeGreaterThan(0)
      expect(
        await refusal(sql`update ${target} set hash = hash where organization_id = ${a.organizationId}`),
      ).toContain('permission denied')
      expect(await refusal(sql`delete from ${target} where organization_id = ${a.organizationId}`)).toContain(
        'permission denied',
      )
    },
  )
})
