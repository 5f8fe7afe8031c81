import { afterAll, beforeAll } from 'bun:test'
import { eq } from 'drizzle-orm'
import {
  addPerson,
  addProxy,
  checkIn,
  createScenario,
  type Scenario,
  type ScenarioUnit,
} from '../../../../core/motions/testing.ts'
import { createTestServices, createTestUser, type TestUser } from '../../../../core/services-testing.ts'
import { organizations, people } from '../../../../db/schema/index.ts'
import { withPlatformScope } from '../../../../db/tenant.ts'
import { createTestApp, jsonRequest } from '../../../_lib/testing.ts'
import { forwardTo } from '../_testing.ts'

/*
 * Fixtures for the motion, vote, result and acta routes: a PH whose owners and proxy holder are signed-in
 * users, and helpers that drive a motion through the HTTP API as they would.
 */

/**
 * For beforeAll / afterAll: creating and migrating a database takes seconds under load, and Bun 1.4's
 * hooks ignore the default test timeout.
 */
export const SETUP_TIMEOUT_MS = 60_000

export type Services = Awaited<ReturnType<typeof createTestServices>>
export type App = Awaited<ReturnType<typeof createTestApp>>

/** A user who is a person of the PH (an owner or a proxy holder). */
export interface Voter extends TestUser {
  personId: string
}

export interface Ph {
  scenario: Scenario
  organizationId: string
  assemblyId: string
  name: string
  admin: TestUser
  /** Owners of 1A, 1B and 3A (3A is absent). */
  owners: Record<'1A' | '1B' | '3A', Voter>
  /** Holds the proxies of 2A and 2B and attends for both; owns nothing. */
  holder: Voter
  /** A signed-in user with no role in the PH. */
  outsider: TestUser
  /** `/api/organizations/<id><rest>` */
  path(rest: string): string
}

export interface Reply {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
  body: any
  text: string
}

/**
 * Units of the default PH: 90 % present (quorum of more than half reached), 3A absent.
 * 2A and 2B are represented by the proxy holder.
 */
const UNITS: ScenarioUnit[] = [
  { number: '1A', coefficient: '30', present: 'in_person' },
  { number: '1B', coefficient: '25', present: 'remote' },
  { number: '2A', coefficient: '20' },
  { number: '2B', coefficient: '15' },
  { number: '3A', coefficient: '10' },
]

export async function createMotionTestApp(env: Record<string, string> = {}) {
  const services = await createTestServices(env)
  const app = await createTestApp(services)

  async function send(
    method: string,
    path: string,
    body?: unknown,
    user?: TestUser | null,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const response = await app.handle(jsonRequest(method, path, body, { ...user?.headers, ...headers }))
    const text = await response.text()
    const json = response.headers.get('content-type')?.startsWith('application/json')
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text, text }
  }

  /** Makes a person of the PH a signed-in user. */
  async function linkUser(personId: string): Promise<Voter> {
    const user = await createTestUser(services)
    await withPlatformScope(services.db, (tx) =>
      tx.update(people).set({ userId: user.userId }).where(eq(people.id, personId)),
    )
    return { ...user, personId }
  }

  /** A PH with an assembly in progress; `absent` leaves every unit out (no quorum). */
  async function createPh(options: { absent?: boolean } = {}): Promise<Ph> {
    const { scenario, holderId, name } = await withPlatformScope(services.db, async (tx) => {
      const units = UNITS.map((unit) => (options.absent ? { ...unit, present: false as const } : unit))
      const scenario = await createScenario(tx, { units })
      const holderId = await addPerson(tx, scenario, 'Apoderada Uno')
      for (const unitNumber of ['2A', '2B']) {
        await addProxy(tx, scenario, { unitNumber, holderPersonId: holderId })
        if (!options.absent) await checkIn(tx, scenario, unitNumber, 'in_person', { personId: holderId })
      }
      const [organization] = await tx
        .select({ name: organizations.name })
        .from(organizations)
        .where(eq(organizations.id, scenario.organizationId))
      return { scenario, holderId, name: organization!.name }
    })
    const { organizationId, assemblyId } = scenario
    return {
      scenario,
      organizationId,
      assemblyId,
      name,
      admin: await createTestUser(services, { roles: [{ organizationId, role: 'ph_admin' }] }),
      owners: {
        '1A': await linkUser(scenario.owner('1A')),
        '1B': await linkUser(scenario.owner('1B')),
        '3A': await linkUser(scenario.owner('3A')),
      },
      holder: await linkUser(holderId),
      outsider: await createTestUser(services),
      path: (rest) => `/api/organizations/${organizationId}${rest}`,
    }
  }

  /** Creates a motion as the PH admin (a named yes / no / abstain motion by default). */
  async function createMotion(ph: Ph, body: Record<string, unknown> = {}): Promise<string> {
    const reply = await send(
      'POST',
      ph.path(`/assemblies/${ph.assemblyId}/motions`),
      { title: 'Aprobar el presupuesto 2026', ...body },
      ph.admin,
    )
    if (reply.status !== 200) throw new Error(`fixture: create motion → ${reply.status} ${reply.text}`)
    return reply.body.id
  }

  async function openMotion(ph: Ph, motionId: string): Promise<void> {
    const reply = await send('POST', ph.path(`/motions/${motionId}/open`), undefined, ph.admin)
    if (reply.status !== 200) throw new Error(`fixture: open motion → ${reply.status} ${reply.text}`)
  }

  /** Closes as the PH admin; the vote path commits every accepted ballot before tallying. */
  function closeMotion(ph: Ph, motionId: string): Promise<Reply> {
    return send('POST', ph.path(`/motions/${motionId}/close`), undefined, ph.admin)
  }

  function vote(
    ph: Ph,
    motionId: string,
    voter: TestUser,
    ballots: { unit: string; options: string[] }[],
    extra: Record<string, unknown> = {},
  ): Promise<Reply> {
    return send(
      'POST',
      ph.path(`/motions/${motionId}/votes`),
      {
        ballots: ballots.map((ballot) => ({
          unitId: ph.scenario.unit(ballot.unit),
          optionKeys: ballot.options,
        })),
        ...extra,
      },
      voter,
    )
  }

  /**
   * A closed motion: 1A and the holder's 2A vote yes, 2B votes no (approved). Returns the receipts
   * (code and hash) by unit number.
   */
  async function closedMotion(ph: Ph, body: Record<string, unknown> = {}) {
    const motionId = await createMotion(ph, body)
    await openMotion(ph, motionId)
    const owner = await vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
    const holder = await vote(ph, motionId, ph.holder, [
      { unit: '2A', options: ['yes'] },
      { unit: '2B', options: ['no'] },
    ])
    if (owner.status !== 200 || holder.status !== 200) throw new Error(`fixture: vote → ${owner.text}`)
    const closed = await closeMotion(ph, motionId)
    if (closed.status !== 200) throw new Error(`fixture: close motion → ${closed.status} ${closed.text}`)
    const receipts = new Map<string, { receiptCode: string; receiptHash: string }>()
    for (const accepted of [...owner.body.votes, ...holder.body.votes])
      receipts.set(accepted.unitNumber, accepted)
    return { motionId, receipts }
  }

  return { services, app, send, createPh, createMotion, openMotion, closeMotion, vote, closedMotion }
}

export type MotionTestApp = Awaited<ReturnType<typeof createMotionTestApp>>

/**
 * For a test file about motions: `createMotionTestApp()` and its PH (`t.createPh()`) before its tests
 * (ahead of the hooks the file registers after this call), closed after them. `t` and `ph` stand for
 * them once made: use them in hooks and tests, not at the file's top level.
 */
export function motionPhForTests() {
  let app: MotionTestApp | undefined
  let made: Ph | undefined
  beforeAll(async () => {
    app = await createMotionTestApp()
    made = await app.createPh()
  }, SETUP_TIMEOUT_MS)
  afterAll(() => app?.services.close(), SETUP_TIMEOUT_MS)
  return { t: forwardTo(() => app), ph: forwardTo(() => made) }
}
