import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createSession } from '../core/auth/sessions.ts'
import { loadConfig } from '../core/config.ts'
import { createMotion } from '../core/motions/motions.ts'
import { createScenario, type Scenario } from '../core/motions/testing.ts'
import { createScreenToken } from '../core/realtime-tokens.ts'
import { step } from '../core/story-testing.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { openDatabase } from '../db/client.ts'
import { votes as ballots, organizations, people, users } from '../db/schema/index.ts'
import { withPlatformScope } from '../db/tenant.ts'
import { childPidsOf, createScratchDatabases, databaseUrlFor, repoRoot, stopProcess } from '../ops/testing.ts'
import { connectSocket } from './testing.ts'

/*
 * REALTIME_PROCESSES=2 as production runs it: `bun realtime/server.ts` starts a sibling on the same
 * port (SO_REUSEPORT). Connections reach both processes; a vote taken by the sibling (which runs no
 * writer) is committed by the first process's writer and its tally reaches viewers on either process;
 * a sibling that dies comes back; stopping the first stops all. Needs PostgreSQL and Redis (the
 * embedded database serves one process, and the config refuses more than one without them).
 */

const ready = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL)
if (!ready) console.warn('realtime/siblings.test.ts: skipped (needs DATABASE_URL and REDIS_URL)')

const ORIGIN = 'http://localhost:3000'
const secretKey = crypto.getRandomValues(new Uint8Array(32))
const policy = { idleMs: 3_600_000, absoluteMs: 86_400_000 }
const actor = { userId: null }
let database: DatabaseHandle
const scratch = createScratchDatabases('siblings')
let databaseUrl: string
let primary: Bun.Subprocess
let port: number
let scenario: Scenario
let motionId: string

function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const found = server.port!
  server.stop(true)
  return found
}

/** pid → established connections on the realtime port, as the kernel sees them (`ss`). */
function connectionsByPid(): Map<number, number> {
  const out = Bun.spawnSync(['ss', '-tnpH', 'state', 'established', `( sport = :${port} )`]).stdout.toString()
  const counts = new Map<number, number>()
  for (const match of out.matchAll(/pid=(\d+)/g)) {
    const pid = Number(match[1])
    counts.set(pid, (counts.get(pid) ?? 0) + 1)
  }
  return counts
}

const connect = (query: string, headers: Record<string, string> = {}) => connectSocket(port, query, headers)

async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value) return value
    await Bun.sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A socket the kernel handed to process `pid` (sockets landing elsewhere are closed and retried). */
async function connectOn(pid: number, headers: Record<string, string>) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const before = connectionsByPid().get(pid) ?? 0
    const client = connect('', headers)
    await client.opened
    await client.next((m) => m.type === 'hello', 15_000)
    if ((connectionsByPid().get(pid) ?? 0) > before) return client
    client.ws.close()
    await waitFor('the closed socket gone', () => (connectionsByPid().get(pid) ?? 0) === before)
  }
  throw new Error(`no connection reached process ${pid}`)
}

/** A signed-in owner of `unit`, as the cookie a browser on PUBLIC_URL would send. */
async function ownerCookie(unit: string): Promise<Record<string, string>> {
  const [user] = await database.db
    .insert(users)
    .values({ email: `sibling-${unit}-${crypto.randomUUID().slice(0, 8)}@example.com` })
    .returning()
  await withPlatformScope(database.db, (tx) =>
    tx
      .update(people)
      .set({ userId: user!.id })
      .where(eq(people.id, scenario.owner(unit))),
  )
  const session = await createSession(database.db, { userId: user!.id }, policy)
  return { cookie: `session=${session.token}`, origin: ORIGIN }
}

describe.skipIf(!ready)('several realtime processes on one port', () => {
  beforeAll(async () => {
    databaseUrl = databaseUrlFor(await scratch.create())
    database = await openDatabase({ url: databaseUrl, poolSize: 3, appRole: 'assembly_app' })
    await database.migrate()
    scenario = await withPlatformScope(database.db, (tx) =>
      createScenario(tx, {
        units: [
          { number: 'A', coefficient: '60', present: 'in_person' },
          { number: 'B', coefficient: '40', present: 'remote' },
        ],
      }),
    )
    await withPlatformScope(database.db, (tx) =>
      tx
        .update(organizations)
        .set({ sealNamedResults: false })
        .where(eq(organizations.id, scenario.organizationId)),
    )
    motionId = (
      await createMotion(database.db, {
        organizationId: scenario.organizationId,
        assemblyId: scenario.assemblyId,
        actor,
        title: 'Ampliar el estacionamiento',
      })
    ).id
    port = freePort()
    const env = {
      ...process.env,
      APP_ENV: 'test',
      HOST: '127.0.0.1',
      PUBLIC_URL: ORIGIN,
      REALTIME_PORT: String(port),
      REALTIME_PROCESSES: '2',
      DATABASE_URL: databaseUrl,
      SECRET_KEY: Buffer.from(secretKey).toString('base64'),
      LOG_LEVEL: 'warn',
    }
    expect(loadConfig(env).realtimeProcesses).toBe(2)
    primary = Bun.spawn(['bun', 'realtime/server.ts'], {
      cwd: repoRoot,
      env,
      stdout: 'ignore',
      stderr: 'inherit',
    })
    await waitFor('two processes listening', () => {
      const out = Bun.spawnSync(['ss', '-ltnpH', `( sport = :${port} )`]).stdout.toString()
      return new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => m[1])).size === 2
    })
    // The motion opens through the vote service, as the functions process would; the realtime
    // processes learn of it through Redis like any other change.
    const { createVoteQueue } = await import('../core/votes/queue.ts')
    const { createVoteService } = await import('../core/votes/service.ts')
    const { createRedisBus } = await import('../core/bus/redis.ts')
    const { silentLogger } = await import('../core/log.ts')
    const bus = createRedisBus({ url: process.env.REDIS_URL! })
    const service = createVoteService({
      db: database.db,
      bus,
      queue: createVoteQueue(bus),
      log: silentLogger,
    })
    await service.open({ organizationId: scenario.organizationId, motionId, actor })
    await bus.close()
  })

  afterAll(async () => {
    if (primary) await stopProcess(primary, 10_000)
    await database?.close()
    await scratch.dropAll()
  })

  // One story in order: the second step stops the processes the first one uses.
  it('spreads connections and votes over both processes; a dead sibling comes back; all stop with the first', async () => {
    await step(
      'connections reach both processes, and a vote taken by either reaches viewers on both',
      async () => {
        const [sibling] = childPidsOf(primary.pid)
        expect(sibling).toBeGreaterThan(0)
        const screen = `screen=${createScreenToken(secretKey, { organizationId: scenario.organizationId, assemblyId: scenario.assemblyId })}`
        const viewers = Array.from({ length: 24 }, () => connect(screen))
        await Promise.all(viewers.map((viewer) => viewer.opened))
        const counts = await waitFor('connections counted', () => {
          const byPid = connectionsByPid()
          return (byPid.get(primary.pid) ?? 0) + (byPid.get(sibling!) ?? 0) >= 24 && byPid
        })
        // The kernel hashes each connection to one of the two listeners: both get some.
        expect(counts.get(primary.pid) ?? 0).toBeGreaterThan(0)
        expect(counts.get(sibling!) ?? 0).toBeGreaterThan(0)

        // Unit A votes on a socket of the sibling (which runs no writer), unit B on one of the first.
        const owners = { A: await ownerCookie('A'), B: await ownerCookie('B') }
        for (const unit of ['A', 'B'] as const) {
          const voter = await connectOn(unit === 'A' ? sibling! : primary.pid, owners[unit])
          voter.send({
            type: 'vote',
            requestId: `vote-${unit}`,
            organizationId: scenario.organizationId,
            motionId,
            ballots: [{ unitId: scenario.unit(unit), optionKeys: [unit === 'A' ? 'yes' : 'no'] }],
          })
          const answer = await voter.next((m) => m.requestId === `vote-${unit}`, 15_000)
          expect(answer.type).not.toBe('error')
          voter.ws.close()
        }
        // Committed by the first process's writer, whichever process took it.
        const rows = await waitFor('both ballots committed', async () => {
          const found = await withPlatformScope(database.db, (tx) =>
            tx.select().from(ballots).where(eq(ballots.motionId, motionId)),
          )
          return found.length === 2 && found
        })
        expect(rows.map((row) => row.unitId).sort()).toEqual([scenario.unit('A'), scenario.unit('B')].sort())
        // Every viewer, on either process, sees both votes in its tally.
        for (const viewer of viewers) {
          await viewer.next((m) => {
            if (m.type !== 'delta' && m.type !== 'snapshot') return false
            const motions = (
              (m.changes ?? m.data) as { motions?: { id: string; voted?: { units: number } }[] }
            ).motions
            return motions?.find((motion) => motion.id === motionId)?.voted?.units === 2
          }, 15_000)
          viewer.ws.close()
        }
      },
    )

    await step('a sibling that dies is started again, and every process stops with the first', async () => {
      const [sibling] = childPidsOf(primary.pid)
      process.kill(sibling!, 'SIGKILL')
      const replacement = await waitFor('a new sibling', () => {
        const [pid] = childPidsOf(primary.pid)
        return pid && pid !== sibling && pid
      })
      await waitFor('the new sibling listening', () =>
        Bun.spawnSync(['ss', '-ltnpH', `( sport = :${port} )`])
          .stdout.toString()
          .includes(`pid=${replacement},`),
      )
      primary.kill('SIGTERM')
      await primary.exited
      await waitFor('the sibling gone', () => {
        try {
          process.kill(replacement, 0)
          return false
        } catch {
          return true
        }
      })
    })
  }, 90_000)
})
