import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { disableUser } from '../core/auth/revocation.ts'
import { createSession } from '../core/auth/sessions.ts'
import type { Bus } from '../core/bus/index.ts'
import { createRedisBus } from '../core/bus/redis.ts'
import { createTestBus } from '../core/bus/testing.ts'
import { loadConfig } from '../core/config.ts'
import { silentLogger } from '../core/log.ts'
import { createMotion } from '../core/motions/motions.ts'
import { createScenario, type Scenario } from '../core/motions/testing.ts'
import { createScreenToken, issueTicket } from '../core/realtime-tokens.ts'
import { createServices } from '../core/services.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { people, sessions, users } from '../db/schema/index.ts'
import { withPlatformScope } from '../db/tenant.ts'
import { createTestDatabase } from '../db/testing.ts'
import { createApp } from '../functions/_lib/app.ts'
import { functionsDir } from '../functions/_lib/testing.ts'
import { loadRoutes } from '../functions/_router.ts'
import { CLOSE, startRealtimeServer } from '../realtime/server.ts'
import { connectSocket } from '../realtime/testing.ts'

/*
 * Who may do what on a socket, and for how long: signing out (everywhere) and disabled users reach
 * open sockets on every node; tickets are single use and die with their session; subscribe and
 * resync only ever show what the socket may see; the upgrade's Origin must match exactly.
 */

const ORIGIN = 'http://localhost:3000'
const secretKey = crypto.getRandomValues(new Uint8Array(32))
const config = loadConfig({ APP_ENV: 'test', HOST: '127.0.0.1', PUBLIC_URL: ORIGIN })
const policy = { idleMs: config.auth.sessionIdleMs, absoluteMs: config.auth.sessionAbsoluteMs }
const actor = { userId: null }
type Node = Awaited<ReturnType<typeof startRealtimeServer>>
let database: DatabaseHandle
let bus: Bus
/** A second node's own bus connection (another process would have one), or the same in-process bus. */
let otherBus: Bus
let nodes: [Node, Node]
let app: ReturnType<typeof createApp>
let phA: Scenario
let phB: Scenario
let motionA: string
let motionB: string
let ownerA: string

async function newUser(label: string, personId?: string): Promise<string> {
  const [user] = await database.db
    .insert(users)
    .values({ email: `${label}-${crypto.randomUUID().slice(0, 8)}@example.com` })
    .returning()
  if (personId) {
    await withPlatformScope(database.db, (tx) =>
      tx.update(people).set({ userId: user!.id }).where(eq(people.id, personId)),
    )
  }
  return user!.id
}

const signIn = (userId: string) => createSession(database.db, { userId }, policy)

/** Asks the real ticket route, as the session's bearer. */
async function ticketFrom(token: string): Promise<string> {
  const response = await app.handle(
    new Request('http://localhost/api/realtime/ticket', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    }),
  )
  expect(response.status).toBe(200)
  return ((await response.json()) as { ticket: string }).ticket
}

async function ticketFor(userId: string): Promise<string> {
  const session = await signIn(userId)
  return issueTicket(bus, secretKey, { userId, sessionId: session.id })
}

const screenOf = (ph: Scenario) =>
  `screen=${createScreenToken(secretKey, { organizationId: ph.organizationId, assemblyId: ph.assemblyId })}`

/** A socket on one of the nodes; `opened` rejects when the upgrade is refused. */
const connect = (query: string, node: Node, headers: Record<string, string> = {}) =>
  connectSocket(node.server.port!, query, headers)

/** Resolves with the close event, or null when the socket is still open after `ms`. */
const closedWithin = (client: ReturnType<typeof connect>, ms: number) =>
  Promise.race([client.closed, Bun.sleep(ms).then(() => null)])

beforeAll(async () => {
  database = await createTestDatabase({ appRole: 'assembly_app' })
  bus = createTestBus()
  otherBus = process.env.REDIS_URL
    ? createRedisBus({ url: process.env.REDIS_URL, prefix: (bus as unknown as { prefix: string }).prefix })
    : bus
  nodes = [
    await startRealtimeServer({ config, secretKey, database, bus, log: silentLogger }, 0),
    await startRealtimeServer(
      { config, secretKey, database, bus: otherBus, log: silentLogger, runWriter: false },
      0,
    ),
  ]
  const services = createServices({ config, secretKey, database, bus, log: silentLogger })
  app = createApp({
    services,
    routes: await loadRoutes(functionsDir, ['realtime/ticket.post.ts', 'auth/sign-out-everywhere.post.ts']),
  })
  const units = [
    { number: 'A', coefficient: '60', present: 'in_person' as const },
    { number: 'B', coefficient: '40', present: 'remote' as const },
  ]
  phA = await withPlatformScope(database.db, (tx) => createScenario(tx, { units }))
  phB = await withPlatformScope(database.db, (tx) => createScenario(tx, { units }))
  for (const ph of [phA, phB]) {
    const motion = await createMotion(database.db, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      actor,
      title: ph === phA ? 'Moción de A' : 'Moción secreta de B',
    })
    if (ph === phA) motionA = motion.id
    else motionB = motion.id
    await nodes[0].votes.open({ organizationId: ph.organizationId, motionId: motion.id, actor })
  }
  ownerA = await newUser('owner-a', phA.owner('A'))
}, 60_000)
afterAll(async () => {
  for (const node of nodes ?? []) await node.stop()
  if (otherBus !== bus) await otherBus.close()
  await bus.close()
  await database.close()
})

const vote = (client: ReturnType<typeof connect>, requestId: string, optionKey: string) =>
  client.send({
    type: 'vote',
    requestId,
    organizationId: phA.organizationId,
    motionId: motionA,
    ballots: [{ unitId: phA.unit('A'), optionKeys: [optionKey] }],
  })

describe('signing out reaches open sockets', () => {
  it('closes every socket of the user on every node (ticket and cookie) and kills unused tickets', async () => {
    const { token } = await signIn(ownerA)
    const [first, second, unused] = [
      await ticketFrom(token),
      await ticketFrom(token),
      await ticketFrom(token),
    ]
    const onFirst = connect(`ticket=${encodeURIComponent(first)}`, nodes[0])
    const onSecond = connect(`ticket=${encodeURIComponent(second)}`, nodes[1])
    const byCookie = connect('', nodes[1], { origin: ORIGIN, cookie: `session=${token}` })
    const bystander = connect(`ticket=${await ticketFor(await newUser('bystander'))}`, nodes[1])
    await Promise.all([onFirst.opened, onSecond.opened, byCookie.opened, bystander.opened])
    vote(onSecond, 'before', 'yes')
    await onSecond.next((m) => m.type === 'vote.accepted')

    const response = await app.handle(
      new Request('http://localhost/api/auth/sign-out-everywhere', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }),
    )
    expect(response.status).toBe(200)
    for (const client of [onFirst, onSecond, byCookie]) {
      expect(await closedWithin(client, 3000)).toEqual({ code: CLOSE.unauthenticated, reason: 'Signed out' })
    }
    // A ticket issued before the sign-out opens nothing.
    await expect(connect(`ticket=${encodeURIComponent(unused)}`, nodes[0]).opened).rejects.toThrow()
    // Other users' sockets are untouched.
    bystander.send({ type: 'ping' })
    expect((await bystander.next((m) => m.type === 'pong')).type).toBe('pong')
    bystander.ws.close()
  })

  it('closes the sockets of a user who is disabled', async () => {
    const userId = await newUser('disabled', phA.owner('B'))
    const client = connect(`ticket=${await ticketFor(userId)}`, nodes[1])
    await client.opened
    await disableUser(database.db, bus, userId)
    expect((await closedWithin(client, 3000))?.code).toBe(CLOSE.unauthenticated)
    await withPlatformScope(database.db, (tx) =>
      tx
        .update(people)
        .set({ userId: null })
        .where(eq(people.id, phA.owner('B'))),
    )
  })

  it('closes, on the periodic sweep, a socket whose session ended unannounced', async () => {
    const session = await signIn(ownerA)
    const ticket = await issueTicket(bus, secretKey, { userId: ownerA, sessionId: session.id })
    const client = connect(`ticket=${ticket}`, nodes[0])
    await client.opened
    expect(await nodes[0].sweepSessions()).toBe(0)
    await database.db.delete(sessions).where(eq(sessions.id, session.id))
    expect(await nodes[0].sweepSessions()).toBe(1)
    expect((await client.closed).code).toBe(CLOSE.unauthenticated)
  })
})

describe('tickets', () => {
  it('open one socket only, even on another node', async () => {
    const ticket = await ticketFor(ownerA)
    const first = connect(`ticket=${ticket}`, nodes[0])
    await first.opened
    await expect(connect(`ticket=${ticket}`, nodes[0]).opened).rejects.toThrow()
    await expect(connect(`ticket=${ticket}`, nodes[1]).opened).rejects.toThrow()
    first.ws.close()
  })
})

describe("another PH's live data", () => {
  const leaks = (client: ReturnType<typeof connect>) =>
    client.messages.filter((m) => JSON.stringify(m).includes(phB.assemblyId) && m.type !== 'error')

  it('is refused to a user of PH A by subscribe and by resync, and a refused subscribe joins nothing', async () => {
    // PH B's topic is open on the node (its own screen watches it): a resync would find it.
    const screenB = connect(screenOf(phB), nodes[0])
    await screenB.opened
    await screenB.next((m) => m.type === 'snapshot')
    const client = connect(`ticket=${await ticketFor(ownerA)}`, nodes[0])
    await client.opened
    client.send({ type: 'resync', assemblyId: phB.assemblyId })
    expect(await client.next((m) => m.type === 'error')).toMatchObject({ code: 'not_subscribed' })
    client.send({ type: 'subscribe', assemblyId: phB.assemblyId })
    expect(await client.next((m) => m.code === 'not_found')).toMatchObject({ type: 'error' })
    client.send({ type: 'resync', assemblyId: phB.assemblyId })
    await client.next(
      (m) => m.type === 'error' && client.messages.filter((x) => x.type === 'error').length >= 3,
    )
    // A change in PH B reaches B's screen, never the refused socket.
    await nodes[0].votes.cast({
      organizationId: phB.organizationId,
      motionId: motionB,
      ballots: [{ unitId: phB.unit('A'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: phB.owner('A') },
      channel: 'api',
    })
    await screenB.next((m) => m.type === 'delta')
    client.send({ type: 'ping' })
    await client.next((m) => m.type === 'pong')
    expect(leaks(client)).toEqual([])
    // Its own PH it may follow and resync.
    client.send({ type: 'subscribe', assemblyId: phA.assemblyId })
    await client.next((m) => m.type === 'snapshot')
    client.send({ type: 'resync', assemblyId: phA.assemblyId })
    await client.next(
      (m) => m.type === 'snapshot' && client.messages.filter((x) => x.type === 'snapshot').length >= 2,
    )
    client.ws.close()
    screenB.ws.close()
  })

  it("is refused to PH A's tally-screen link by subscribe and by resync", async () => {
    const screenB = connect(screenOf(phB), nodes[1])
    await screenB.opened
    await screenB.next((m) => m.type === 'snapshot')
    const screenA = connect(screenOf(phA), nodes[1])
    await screenA.opened
    await screenA.next((m) => m.type === 'snapshot')
    screenA.send({ type: 'resync', assemblyId: phB.assemblyId })
    expect(await screenA.next((m) => m.type === 'error')).toMatchObject({ code: 'not_subscribed' })
    screenA.send({ type: 'subscribe', assemblyId: phB.assemblyId })
    expect(await screenA.next((m) => m.code === 'forbidden')).toMatchObject({ type: 'error' })
    screenA.send({ type: 'ping' })
    await screenA.next((m) => m.type === 'pong')
    expect(leaks(screenA)).toEqual([])
    screenA.ws.close()
    screenB.ws.close()
  })
})

describe('the upgrade Origin', () => {
  it.each([
    ['a longer host that starts with the allowed one', 'http://localhost:3000.evil.example'],
    ['another scheme', 'https://localhost:3000'],
    ['another port', 'http://localhost:3001'],
    ['no port', 'http://localhost'],
    ['the null origin', 'null'],
    ['a subdomain', 'http://evil.localhost:3000'],
    ['a trailing path', 'http://localhost:3000/'],
    ['a user-info prefix', 'http://localhost:3000@evil.example'],
  ])('refuses %s', async (_name, origin) => {
    const response = await fetch(`http://127.0.0.1:${nodes[0].server.port}/ws?${screenOf(phA)}`, {
      headers: {
        upgrade: 'websocket',
        connection: 'Upgrade',
        origin,
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
      },
    })
    expect(response.status).toBe(403)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_rejected')
  })

  it('accepts the exact allowed origin', async () => {
    const client = connect(screenOf(phA), nodes[0], { origin: ORIGIN })
    await client.opened
    client.ws.close()
  })
})
