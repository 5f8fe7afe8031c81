/**
 * The benchmark's PH, written with bulk inserts (one statement per table): 2,000 units with
 * coefficients summing to exactly 100 (distributeCoefficients over their areas), one owner per unit
 * (person + user + session, so every request can carry a different bearer token), every unit checked
 * in, and an assembly in progress. Motions are created through core/motions and opened through the
 * vote service, so the Redis queue knows them as open.
 */
import { randomToken, sha256Bytes } from '../../core/auth/crypto.ts'
import { formatCoefficient } from '../../core/decimal.ts'
import { createMotion } from '../../core/motions/motions.ts'
import { distributeCoefficients } from '../../core/rules/coefficients.ts'
import { getQuorumPreset } from '../../core/rules/presets.ts'
import type { VoteService } from '../../core/votes/service.ts'
import type { Database } from '../../db/client.ts'
import {
  assemblies,
  attendance,
  organizations,
  ownerships,
  people,
  sessions,
  units,
  users,
} from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'

export interface BenchVoter {
  unitId: string
  userId: string
  personId: string
  /** Bearer token `<id>.<secret>` of the owner's session. */
  token: string
}

export interface BenchPh {
  organizationId: string
  assemblyId: string
  voters: BenchVoter[]
}

const AREAS = [120, 95, 60, 120, 80]

export async function seedBenchPh(
  db: Database,
  options: { units: number; sessionAbsoluteMs: number },
): Promise<BenchPh> {
  const count = options.units
  const coefficients = distributeCoefficients(
    Array.from({ length: count }, (_, i) => AREAS[i % AREAS.length]!),
  )
  const suffix = crypto.randomUUID().slice(0, 8)
  return withPlatformScope(db, async (tx) => {
    const [organization] = await tx
      .insert(organizations)
      .values({ slug: `bench-${suffix}`, name: 'PH Benchmark', legalName: 'Propiedad Horizontal Benchmark' })
      .returning({ id: organizations.id })
    const organizationId = organization!.id
    const unitRows = await tx
      .insert(units)
      .values(
        coefficients.map((coefficient, i) => ({
          organizationId,
          number: `${Math.floor(i / 10) + 1}-${(i % 10) + 1}`,
          finca: `${50000 + i}`,
          coefficient: formatCoefficient(coefficient),
          upToDate: true,
        })),
      )
      .returning({ id: units.id })
    const userRows = await tx
      .insert(users)
      .values(
        unitRows.map((_, i) => ({ email: `owner-${suffix}-${i}@bench.invalid`, displayName: `Owner ${i}` })),
      )
      .returning({ id: users.id })
    const personRows = await tx
      .insert(people)
      .values(
        unitRows.map((_, i) => ({
          organizationId,
          fullName: `Propietario ${i}`,
          email: `owner-${suffix}-${i}@bench.invalid`,
          userId: userRows[i]!.id,
        })),
      )
      .returning({ id: people.id })
    await tx.insert(ownerships).values(
      unitRows.map((unit, i) => ({
        organizationId,
        unitId: unit.id,
        personId: personRows[i]!.id,
        isRepresentative: true,
      })),
    )
    const now = Date.now()
    const [assembly] = await tx
      .insert(assemblies)
      .values({
        organizationId,
        number: 1,
        title: 'Asamblea de benchmark',
        kind: 'ordinary',
        modality: 'mixed',
        firstCallAt: new Date(now - 3_600_000),
        currentCall: 'first',
        status: 'in_progress',
        startedAt: new Date(now - 600_000),
        quorumRule: getQuorumPreset('bylaws-coefficient-any-present')!,
      })
      .returning({ id: assemblies.id })
    const assemblyId = assembly!.id
    await tx.insert(attendance).values(
      unitRows.map((unit, i) => ({
        organizationId,
        assemblyId,
        unitId: unit.id,
        personId: personRows[i]!.id,
        mode: i % 3 === 0 ? ('in_person' as const) : ('remote' as const),
        checkedInAt: new Date(now - 300_000),
      })),
    )
    const tokens = await insertSessions(
      tx,
      userRows.map((user) => user.id),
      options.sessionAbsoluteMs,
    )
    return {
      organizationId,
      assemblyId,
      voters: unitRows.map((unit, i) => ({
        unitId: unit.id,
        userId: userRows[i]!.id,
        personId: personRows[i]!.id,
        token: tokens[i]!,
      })),
    }
  })
}

/** A new session for each user, as createSession makes them (only the secret's SHA-256 is stored). */
async function insertSessions(tx: Database, userIds: string[], absoluteMs: number): Promise<string[]> {
  const now = Date.now()
  const secrets = userIds.map(() => ({ id: randomToken(), secret: randomToken() }))
  for (let from = 0; from < userIds.length; from += 5000) {
    await tx.insert(sessions).values(
      secrets.slice(from, from + 5000).map(({ id, secret }, i) => ({
        id,
        userId: userIds[from + i]!,
        secretHash: sha256Bytes(secret),
        expiresAt: new Date(now + absoluteMs),
        lastSeenAt: new Date(now),
      })),
    )
  }
  return secrets.map(({ id, secret }) => `${id}.${secret}`)
}

/** Signs the voters in again: a bearer token of a new session for each (a cold session everywhere). */
export function signInAgain(db: Database, voters: BenchVoter[], absoluteMs: number): Promise<string[]> {
  return withPlatformScope(db, (tx) =>
    insertSessions(
      tx,
      voters.map((voter) => voter.userId),
      absoluteMs,
    ),
  )
}

/** Creates `count` motions (yes / no / abstain, simple majority) and opens them through the vote service. */
export async function openMotions(
  db: Database,
  votes: VoteService,
  ph: BenchPh,
  label: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const motion = await createMotion(db, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      actor: { userId: null },
      title: `${label} ${i + 1}`,
    })
    await votes.open({ organizationId: ph.organizationId, motionId: motion.id, actor: { userId: null } })
    ids.push(motion.id)
  }
  return ids
}
