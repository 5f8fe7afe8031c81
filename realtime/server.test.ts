import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { loadAssemblySnapshot } from '../core/assemblies/live-snapshot.ts'
import { createSession } from '../core/auth/sessions.ts'
import { createTestBus } from '../core/bus/testing.ts'
import { loadConfig } from '../core/config.ts'
import { silentLogger } from '../core/log.ts'
import { createMotion } from '../core/motions/motions.ts'
import { createScenario, type Scenario } from '../core/motions/testing.ts'
import { createScreenToken, issueTicket } from '../core/realtime-tokens.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { organizations, people, users } from '../db/schema/index.ts'
import { withPlatformScope } from '../db/tenant.ts'
import { createTestDatabase } from '../db/testing.ts'
import { CLOSE, startRealtimeServer } from './server.ts'
import { connectSocket } from './testing.ts'

const secretKey = crypto.getRandomValues(new Uint8Array(32))
const config = loadConfig({ APP_ENV: 'test', HOST: '127.0.0.1', PUBLIC_URL: 'http://localhost:3000' })
const actor = { userId: null }
let database: DatabaseHandle
let bus: ReturnType<typeof createTestBus>
let realtime: Awaited<ReturnType<typeof startRealtimeServer>>
let scenario: Scenario
let motionId: string
let ownerUserId: string

/** A fresh single-use ticket from a new session of the user (what POST /api/realtime/ticket issues). */
async function ticketFor(userId: string): Promise<string> {
  const session = await createSession(database.db, { userId }, { idleMs: 3_600_000, absoluteMs: 86_400_000 })
  return issueTicket(bus, secretKey, { userId, sessionId: session.id })
}

/** A socket on this file's realtime process (or another one). */
const connect = (query: string, server = realtime, headers: Record<string, string> = {}) =>
  connectSocket(server.server.port!, query, headers)

beforeAll(async () => {
  database = await createTestDatabase({ appRole: 'assembly_app' })
  bus = createTestBus()
  realtime = await startRealtimeServer({ config, secretKey, database, bus, log: silentLogger }, 0)
  const db = database.db
  scenario = await withPlatformScope(db, (tx) =>
    createScenario(tx, {
      units: [
        { number: 'A', coefficient: '60', present: 'in_person' },
        { number: 'B', coefficient: '40', present: 'remote' },
      ],
    }),
  )
  // This PH chose to show running tallies of named motions (sealed by default; see the sealed test).
  await withPlatformScope(db, (tx) =>
    tx
      .update(organizations)
      .set({ sealNamedResults: false })
      .where(eq(organizations.id, scenario.organizationId)),
  )
  const motion = await createMotion(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    actor,
    title: 'Pintar la fachada',
  })
  motionId = motion.id
  await realtime.votes.open({ organizationId: scenario.organizationId, motionId, actor })
  const [user] = await db
    .insert(users)
    .values({ email: `owner-${Date.now()}@example.com` })
    .returning()
  ownerUserId = user!.id
  await withPlatformScope(db, (tx) =>
    tx
      .update(people)
      .set({ userId: ownerUserId })
      .where(eq(people.id, scenario.owner('A'))),
  )
})
afterAll(async () => {
  await realtime.stop()
  await bus.close()
  await database.close()
})

describe('realtime process', () => {
  it('answers health and readiness', async () => {
    const base = `http://127.0.0.1:${realtime.server.port}`
    expect((await fetch(`${base}/api/health`)).status).toBe(200)
    expect(await (await fetch(`${base}/api/ready`)).json()).toEqual({
      ready: true,
      database: true,
      bus: true,
    })
  })

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${realtime.server.port}/metrics`)).text()
    expect(text).toContain('# TYPE ws_connections gauge')
    expect(text).toMatch(/vote_writer_pending \d+/)
  })

  it.each([
    ['no credentials', ''],
    ['a forged ticket', 'ticket=abc.def'],
    [
      'an expired screen link',
      `screen=${createScreenToken(secretKey, { organizationId: 'o', assemblyId: 'a' }, 1, Date.now() - 10)}`,
    ],
  ])('refuses an upgrade with %s', async (_name, query) => {
    const response = await fetch(`http://127.0.0.1:${realtime.server.port}/ws?${query}`, {
      headers: {
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
      },
    })
    expect(response.status).toBe(401)
  })

  it('refuses an upgrade from a foreign origin', async () => {
    const response = await fetch(
      `http://127.0.0.1:${realtime.server.port}/ws?ticket=${await ticketFor(ownerUserId)}`,
      {
        headers: {
          upgrade: 'websocket',
          connection: 'Upgrade',
          origin: 'https://evil.example',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-version': '13',
        },
      },
    )
    expect(response.status).toBe(403)
  })

  it('sends a snapshot on join, then a numbered delta with the committed tally after a vote', async () => {
    // An assembly of this test's own, loaded fresh at the join: the other tests vote in the shared one.
    const scenario = await withPlatformScope(database.db, (tx) =>
      createScenario(tx, {
        units: [
          { number: 'A', coefficient: '60', present: 'in_person' },
          { number: 'B', coefficient: '40', present: 'remote' },
        ],
      }),
    )
    const { organizationId, assemblyId } = scenario
    // This PH shows running tallies of named motions (they are sealed by default).
    await withPlatformScope(database.db, (tx) =>
      tx.update(organizations).set({ sealNamedResults: false }).where(eq(organizations.id, organizationId)),
    )
    const motionId = (
      await createMotion(database.db, { organizationId, assemblyId, actor, title: 'Cambiar el portón' })
    ).id
    await realtime.votes.open({ organizationId, motionId, actor })
    const screen = connect(
      `screen=${createScreenToken(secretKey, { organizationId: scenario.organizationId, assemblyId: scenario.assemblyId })}`,
    )
    await screen.opened
    const snapshot = await screen.next((m) => m.type === 'snapshot')
    const data = snapshot.data as {
      quorum: { reached: boolean }
      motions: { id: string; voted: { units: number } }[]
    }
    expect(data.quorum.reached).toBe(true)
    expect(data.motions.find((m) => m.id === motionId)?.voted.units).toBe(0)
    await realtime.votes.cast({
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('B'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: scenario.owner('B') },
      channel: 'api',
    })
    const delta = await screen.next((m) => m.type === 'delta')
    expect(delta.seq).toBe((snapshot.seq as number) + 1)
    const motion = (
      delta.changes as {
        motions: { id: string; counts: { key: string; units: number; coefficient: string }[] }[]
      }
    ).motions.find((m) => m.id === motionId)
    expect(motion?.counts.find((c) => c.key === 'yes')).toEqual({
      key: 'yes',
      units: 1,
      coefficient: '40.000000000',
    })
    screen.ws.close()
  })

  it('shows only turnout while a named motion is open in a PH that seals results (the default)', async () => {
    const load = () => loadAssemblySnapshot(database.db, scenario.organizationId, scenario.assemblyId)
    const unsealed = (await load())?.motions.find((m) => m.id === motionId)
    expect(unsealed?.counts).not.toBeNull()
    await withPlatformScope(database.db, (tx) =>
      tx
        .update(organizations)
        .set({ sealNamedResults: true })
        .where(eq(organizations.id, scenario.organizationId)),
    )
    try {
      const sealed = (await load())?.motions.find((m) => m.id === motionId)
      expect([sealed?.counts, typeof sealed?.voted.units]).toEqual([null, 'number'])
    } finally {
      await withPlatformScope(database.db, (tx) =>
        tx
          .update(organizations)
          .set({ sealNamedResults: false })
          .where(eq(organizations.id, scenario.organizationId)),
      )
    }
  })

  it('keeps a tally-screen link read-only and to its own assembly', async () => {
    const screen = connect(
      `screen=${createScreenToken(secretKey, { organizationId: scenario.organizationId, assemblyId: scenario.assemblyId })}`,
    )
    await screen.opened
    screen.send({
      type: 'vote',
      requestId: 'r1',
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('A'), optionKeys: ['yes'] }],
    })
    expect((await screen.next((m) => m.type === 'vote.refused')).error).toMatchObject({ code: 'forbidden' })
    screen.send({ type: 'subscribe', assemblyId: crypto.randomUUID() })
    expect(await screen.next((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' })
    screen.ws.close()
  })

  it('accepts a vote over the WebSocket from a signed-in owner and returns the receipt', async () => {
    const client = connect(`ticket=${await ticketFor(ownerUserId)}`)
    await client.opened
    client.send({
      type: 'vote',
      requestId: 'v1',
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('A'), optionKeys: ['no'] }],
    })
    const accepted = await client.next((m) => m.type === 'vote.accepted')
    expect((accepted.votes as { receiptCode: string }[])[0]!.receiptCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    client.send({
      type: 'vote',
      requestId: 'v2',
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('B'), optionKeys: ['no'] }],
    })
    const refused = await client.next((m) => m.type === 'vote.refused')
    expect(refused.error).toMatchObject({ code: 'ballots_rejected' })
    client.ws.close()
  })

  it('takes a ballot of as many option keys as the HTTP route takes (one schema for every channel)', async () => {
    const client = connect(`ticket=${await ticketFor(ownerUserId)}`)
    await client.opened
    // 25 keys: over the WebSocket's former limit of 20, within the 50 every channel now allows. The
    // schema lets it through, so the refusal comes from the motion's own rules (unknown options).
    const keys = Array.from({ length: 25 }, (_, i) => `opcion-${i}`)
    client.send({
      type: 'vote',
      requestId: 'wide',
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('A'), optionKeys: keys }],
    })
    const refused = await client.next((m) => m.type === 'vote.refused' || m.type === 'error')
    expect(refused.type).toBe('vote.refused')
    expect(refused.error).toMatchObject({ code: 'ballots_rejected' })
    // Beyond 50 keys every channel refuses the message itself.
    client.send({
      type: 'vote',
      requestId: 'too-wide',
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('A'), optionKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) }],
    })
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'invalid_message' })
    client.ws.close()
  })

  it('does not let a signed-in user watch an assembly of a PH they do not belong to', async () => {
    const [stranger] = await database.db
      .insert(users)
      .values({ email: `stranger-${Date.now()}@example.com` })
      .returning()
    const client = connect(`ticket=${await ticketFor(stranger!.id)}`)
    await client.opened
    client.send({ type: 'subscribe', assemblyId: scenario.assemblyId })
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' })
    client.ws.close()
  })

  it('answers malformed messages with an error and closes a flooding client', async () => {
    const client = connect(`ticket=${await ticketFor(ownerUserId)}`)
    await client.opened
    client.send({ type: 'launch-missiles' })
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'invalid_message' })
    for (let i = 0; i < 60; i++) client.send({ type: 'ping' })
    expect((await client.closed).code).toBe(CLOSE.rateLimited)
  })

  it('closes a connection that sends an oversized message', async () => {
    const client = connect(`ticket=${await ticketFor(ownerUserId)}`)
    await client.opened
    client.ws.send('x'.repeat(32 * 1024))
    expect((await client.closed).code).toBe(1009)
  })
})

describe('several realtime processes', () => {
  it('shows on a screen connected to one node the votes cast through another', async () => {
    const otherBus = process.env.REDIS_URL ? createTestBusLike(bus) : bus
    const second = await startRealtimeServer(
      { config, secretKey, database, bus: otherBus, log: silentLogger, runWriter: false },
      0,
    )
    try {
      const screen = connect(
        `screen=${createScreenToken(secretKey, { organizationId: scenario.organizationId, assemblyId: scenario.assemblyId })}`,
        second,
      )
      await screen.opened
      await screen.next((m) => m.type === 'snapshot')
      const voter = connect(`ticket=${await ticketFor(ownerUserId)}`, realtime)
      await voter.opened
      voter.send({
        type: 'vote',
        requestId: 'x',
        organizationId: scenario.organizationId,
        motionId,
        ballots: [{ unitId: scenario.unit('A'), optionKeys: ['abstain'] }],
      })
      await voter.next((m) => m.type === 'vote.accepted')
      const delta = await screen.next((m) => {
        const motions = (
          m.changes as { motions?: { id: string; counts: { key: string; units: number }[] }[] } | undefined
        )?.motions
        return (
          m.type === 'delta' &&
          Boolean(
            motions?.find((x) => x.id === motionId)?.counts.find((c) => c.key === 'abstain' && c.units === 1),
          )
        )
      })
      expect(delta.type).toBe('delta')
      screen.ws.close()
      voter.ws.close()
    } finally {
      await second.stop()
      if (otherBus !== bus) await otherBus.close()
    }
  })
})

/** A second Redis connection set under the same key prefix: what another process would have. */
function createTestBusLike(existing: ReturnType<typeof createTestBus>) {
  const { createRedisBus } = require('../core/bus/redis.ts') as typeof import('../core/bus/redis.ts')
  return createRedisBus({
    url: process.env.REDIS_URL!,
    prefix: (existing as unknown as { prefix: string }).prefix,
  })
}
