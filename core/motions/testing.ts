import { afterAll, beforeAll } from 'bun:test'
import { and, eq, inArray } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import {
  agendaItems,
  assemblies,
  attendance,
  organizations,
  ownerships,
  people,
  proxies,
  units,
  votes,
} from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { createTestDatabase } from '../../db/testing.ts'
import * as attendanceService from '../assemblies/attendance.ts'
import { createTestBus } from '../bus/testing.ts'
import type { Bus } from '../bus/types.ts'
import { AppError } from '../errors.ts'
import { silentLogger } from '../log.ts'
import type { Call, QuorumRule } from '../rules/types.ts'
import { createVoteQueue } from '../votes/queue.ts'
import { createVoteService, markVotingFactsChanged, type VoteService } from '../votes/service.ts'
import { createVoteWriter, type VoteWriter } from '../votes/writer.ts'
import type { CastVotesInput } from './ballot-request.ts'

export { appErrorOf } from '../ph/testing.ts'

/*
 * Fixtures for motion and acta tests. The roster (units, owners, proxies) is inserted directly; what a
 * rule acts on goes through the real services: attendance through core/assemblies/attendance.ts (an
 * owner's check-in revokes their proxy), votes through the vote service and its batch writer.
 */

export interface ScenarioUnit {
  number: string
  /** Percent, e.g. '25' or '8.333333333'. */
  coefficient: string
  upToDate?: boolean
  /** Checked in when the scenario starts. */
  present?: 'in_person' | 'remote' | false
  finca?: string
}

export interface ScenarioSpec {
  units: readonly ScenarioUnit[]
  quorumRule?: QuorumRule
  call?: Call
  assemblyStatus?: (typeof assemblies.$inferInsert)['status']
  language?: string
  /** The PH's setting for units in arrears (default: the product's, voice but no vote). */
  arrearsVoting?: 'voice_no_vote' | 'full_vote'
}

export interface Scenario {
  organizationId: string
  assemblyId: string
  /** Unit id by unit number. */
  unit(number: string): string
  /** The representative owner's person id by unit number. */
  owner(number: string): string
}

const defaultQuorum: QuorumRule = {
  base: 'coefficient',
  eligibleOnly: false,
  firstCall: { numerator: 1, denominator: 2, strict: true },
  secondCall: { numerator: 30, denominator: 100, strict: false },
}

/** A majority rule no motion can meet (3/2 of the votes cast): a motion definition refuses it. */
export const NEVER_MET_RULE = {
  base: 'units',
  denominator: 'cast',
  threshold: { numerator: 3, denominator: 2, strict: false },
  abstentionsCount: false,
  eligibleOnly: false,
} as const

/** More than half of the coefficient entitled to vote (units in arrears have voice but no vote), first call only. */
export const HALF_OF_ELIGIBLE_FIRST_CALL: QuorumRule = {
  base: 'coefficient',
  eligibleOnly: true,
  firstCall: { numerator: 1, denominator: 2, strict: true },
  secondCall: null,
}

let counter = 0

/** A PH with the given units, one representative owner per unit, and an assembly (in progress by default). */
export async function createScenario(db: Database, spec: ScenarioSpec): Promise<Scenario> {
  counter += 1
  const suffix = `${Date.now().toString(36)}-${counter}-${crypto.randomUUID().slice(0, 6)}`
  const [organization] = await db
    .insert(organizations)
    .values({
      slug: `ph-${suffix}`,
      name: `PH Prueba ${counter}`,
      language: spec.language ?? 'es',
      ...(spec.arrearsVoting ? { arrearsVoting: spec.arrearsVoting } : {}),
    })
    .returning({ id: organizations.id })
  const organizationId = organization!.id
  const unitRows = await db
    .insert(units)
    .values(
      spec.units.map((unit, index) => ({
        organizationId,
        number: unit.number,
        finca: unit.finca ?? `F-${1000 + index}`,
        coefficient: unit.coefficient,
        upToDate: unit.upToDate ?? true,
      })),
    )
    .returning({ id: units.id, number: units.number })
  const unitIds = new Map(unitRows.map((row) => [row.number, row.id]))
  const personRows = await db
    .insert(people)
    .values(spec.units.map((unit) => ({ organizationId, fullName: `Propietario ${unit.number}` })))
    .returning({ id: people.id })
  const ownerIds = new Map(spec.units.map((unit, index) => [unit.number, personRows[index]!.id]))
  await db.insert(ownerships).values(
    spec.units.map((unit) => ({
      organizationId,
      unitId: unitIds.get(unit.number)!,
      personId: ownerIds.get(unit.number)!,
      isRepresentative: true,
    })),
  )
  const [assembly] = await db
    .insert(assemblies)
    .values({
      organizationId,
      number: 1,
      title: 'Asamblea de prueba',
      kind: 'ordinary',
      modality: 'mixed',
      firstCallAt: new Date('2026-03-14T14:00:00Z'),
      secondCallAt: new Date('2026-03-14T15:00:00Z'),
      currentCall: spec.call ?? 'first',
      status: spec.assemblyStatus ?? 'in_progress',
      quorumRule: spec.quorumRule ?? defaultQuorum,
    })
    .returning({ id: assemblies.id })
  const scenario: Scenario = {
    organizationId,
    assemblyId: assembly!.id,
    unit: (number) => required(unitIds.get(number), `unit ${number}`),
    owner: (number) => required(ownerIds.get(number), `owner of ${number}`),
  }
  for (const unit of spec.units) {
    if (unit.present) await checkIn(db, scenario, unit.number, unit.present)
  }
  return scenario
}

/** A person of the PH who owns nothing (e.g. a proxy holder from outside). */
export async function addPerson(db: Database, scenario: Scenario, fullName: string): Promise<string> {
  const [person] = await db
    .insert(people)
    .values({ organizationId: scenario.organizationId, fullName })
    .returning({ id: people.id })
  return person!.id
}

/** Adds a co-owner of a unit, not the representative by default. */
export async function addCoOwner(
  db: Database,
  scenario: Scenario,
  unitNumber: string,
  options: { fullName?: string; isRepresentative?: boolean } = {},
): Promise<string> {
  const personId = await addPerson(db, scenario, options.fullName ?? `Copropietario ${unitNumber}`)
  await db.insert(ownerships).values({
    organizationId: scenario.organizationId,
    unitId: scenario.unit(unitNumber),
    personId,
    isRepresentative: options.isRepresentative ?? false,
  })
  return personId
}

/** An active proxy of a unit for the scenario's assembly. */
export async function addProxy(
  db: Database,
  scenario: Scenario,
  input: {
    unitNumber: string
    holderPersonId: string
    validFrom?: Date
    validUntil?: Date
    /** Directed proxy: option key by motion id. */
    instructions?: Record<string, string>
    status?: 'active' | 'pending'
  },
): Promise<string> {
  const [proxy] = await db
    .insert(proxies)
    .values({
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
      grantorUnitId: scenario.unit(input.unitNumber),
      holderPersonId: input.holderPersonId,
      validFrom: input.validFrom ?? null,
      validUntil: input.validUntil ?? null,
      instructions: input.instructions ?? null,
      status: input.status ?? 'active',
    })
    .returning({ id: proxies.id })
  return proxy!.id
}

export async function revokeProxy(db: Database, proxyId: string): Promise<void> {
  await db.update(proxies).set({ status: 'revoked', revokedAt: new Date() }).where(eq(proxies.id, proxyId))
}

const system = { userId: null }

/**
 * Checks the unit in through the attendance service, as its owner or (with `personId`) as whoever
 * represents it, e.g. its proxy holder; an owner's check-in revokes the unit's active proxy. `at`
 * back-dates the new attendance row, for tests that read times (the acta).
 */
export async function checkIn(
  db: Database,
  scenario: Scenario,
  unitNumber: string,
  mode: 'in_person' | 'remote' = 'in_person',
  options: { personId?: string; at?: Date } = {},
): Promise<void> {
  const { checkedIn } = await attendanceService.checkIn(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    personId: options.personId ?? scenario.owner(unitNumber),
    unitIds: [scenario.unit(unitNumber)],
    mode,
    actor: system,
  })
  if (options.at) await backdate(db, scenario, { checkedInAt: options.at }, checkedIn)
}

/** Checks the unit out through the attendance service; `at` back-dates the check-out. */
export async function checkOut(
  db: Database,
  scenario: Scenario,
  unitNumber: string,
  at?: Date,
): Promise<void> {
  const { checkedOut } = await attendanceService.checkOut(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    unitIds: [scenario.unit(unitNumber)],
    actor: system,
  })
  if (at) await backdate(db, scenario, { checkedOutAt: at }, checkedOut)
}

async function backdate(
  db: Database,
  scenario: Scenario,
  times: { checkedInAt?: Date; checkedOutAt?: Date },
  records: readonly { id: string }[],
): Promise<void> {
  const ids = records.map((record) => record.id)
  if (ids.length === 0) return
  await withTenant(db, scenario.organizationId, (tx) =>
    tx.update(attendance).set(times).where(inArray(attendance.id, ids)),
  )
}

/** The real vote path of a test: the vote service, its queue and the batch writer, on a bus of its own. */
export interface TestVotePath {
  db: Database
  service: VoteService
  writer: VoteWriter
  bus: Bus
  close(): Promise<void>
}

/** Creates the vote path for `db` (close it in afterAll). */
export function createTestVotePath(db: Database): TestVotePath {
  const bus = createTestBus()
  const service = createVoteService({ db, bus, queue: createVoteQueue(bus), log: silentLogger })
  const writer = createVoteWriter({ bus, db, log: silentLogger, maxWaitMs: 5 })
  return {
    db,
    service,
    writer,
    bus,
    close: async () => {
      await writer.stop()
      await bus.close()
    },
  }
}

/**
 * Casts through the vote service and commits with the batch writer, as a vote reaches PostgreSQL in
 * production. The facts version is bumped first because fixtures write rows (proxies, statuses) without
 * announcing them. Returns the accepted ballots with the revision each unit's vote row now has.
 */
export async function castAndCommit(path: TestVotePath, input: CastVotesInput) {
  await markVotingFactsChanged(path.bus, input.organizationId)
  const accepted = await castRetrying(path.service, input)
  await path.writer.drain()
  const unitIds = accepted.votes.map((vote) => vote.unitId)
  const rows = await withPlatformScope(path.db, (tx) =>
    tx
      .select({ unitId: votes.unitId, revision: votes.revision })
      .from(votes)
      .where(and(eq(votes.motionId, input.motionId), inArray(votes.unitId, unitIds))),
  )
  const revisionOf = new Map(rows.map((row) => [row.unitId, row.revision]))
  return {
    ...accepted,
    votes: accepted.votes.map((vote) => ({ ...vote, revision: revisionOf.get(vote.unitId) ?? 0 })),
  }
}

/** Casts and commits the ballot of the owner of unit `number` for `optionKeys`, as castAndCommit. */
export function castByOwner(
  path: TestVotePath,
  scenario: Scenario,
  motionId: string,
  number: string,
  optionKeys: string[],
) {
  return castAndCommit(path, {
    organizationId: scenario.organizationId,
    motionId,
    actor: { userId: null, personId: scenario.owner(number) },
    channel: 'web',
    ballots: [{ unitId: scenario.unit(number), optionKeys }],
  })
}

/** Casts and commits one ballot per unit by its owner, in order: unit number → option key(s). */
export async function castOwnerBallots(
  path: TestVotePath,
  scenario: Scenario,
  motionId: string,
  ballots: Record<string, string | string[]>,
): Promise<void> {
  for (const [number, keys] of Object.entries(ballots)) {
    await castByOwner(path, scenario, motionId, number, typeof keys === 'string' ? [keys] : keys)
  }
}

export async function setAssemblyStatus(
  db: Database,
  scenario: Scenario,
  status: (typeof assemblies.$inferInsert)['status'],
): Promise<void> {
  await db.update(assemblies).set({ status }).where(eq(assemblies.id, scenario.assemblyId))
}

export async function addAgendaItem(
  db: Database,
  scenario: Scenario,
  input: { position: number; title: string; notes?: string },
): Promise<string> {
  const [item] = await db
    .insert(agendaItems)
    .values({ organizationId: scenario.organizationId, assemblyId: scenario.assemblyId, ...input })
    .returning({ id: agendaItems.id })
  return item!.id
}

// Casts running side by side bump the facts version under each other; a client retries the 503 as told.
async function castRetrying(service: VoteService, input: CastVotesInput) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await service.cast(input)
    } catch (error) {
      if (attempt >= 50 || !(error instanceof AppError && error.code === 'facts_changing')) throw error
      await Bun.sleep(5)
    }
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fixture: no ${what}`)
  return value
}

/**
 * For a test file about motions and votes: a test database (`handle`, its `db`) and a vote path on it,
 * created before its tests (ahead of the hooks the file registers after this call) and closed after
 * them. The fields are set once it has been created: use them in hooks and tests.
 */
export function votingDatabaseForTests() {
  const fixture = {} as { handle: DatabaseHandle; db: Database; votePath: TestVotePath }
  beforeAll(async () => {
    fixture.handle = await createTestDatabase()
    fixture.db = fixture.handle.db
    fixture.votePath = createTestVotePath(fixture.db)
  })
  afterAll(async () => {
    await fixture.votePath?.close()
    await fixture.handle?.close()
  })
  return fixture
}
