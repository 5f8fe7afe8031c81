/**
 * `bun run bench`: the vote-path benchmark of issue #5, on the real PostgreSQL and Redis.
 *
 * 1. Creates a fresh database `bench_<random>` on DATABASE_URL's server, migrates it and seeds a PH of
 *    2,000 units, or as many as `--voters N` asks for (see fixture.ts). Starts a private redis-server on
 *    a free port with AOF (`appendfsync everysec`, as production runs), so durability is in the figures
 *    and no shared Redis is ever touched.
 * 2. Starts, as child processes on free 127.0.0.1 ports and with production settings (APP_ENV=production,
 *    LOG_LEVEL=warn, one SECRET_KEY so tickets and screen links verify): the functions process, the
 *    realtime process (which runs the batch writer), the roof echo server, the naive baseline server
 *    and a prototype of the vote route with cached auth (cached-auth-server.ts, to prove a fix).
 * 3. Measures, each with the same load tool (load.ts, its own process) and the same connection count:
 *    first the cold burst (fresh processes, a check-in wave just bumped the facts version, a motion
 *    opens and every voter casts a first vote: open → all committed), then roof echo, HTTP votes, the prototype, naive votes; then WebSocket votes; durable latency (paced at
 *    half the measured HTTP rate, committed_at − cast_at from the votes table); fan-out to 5,000+
 *    tally-screen viewers (viewers.ts, its own process) and the realtime process's RSS per connection;
 *    and finally compares every receipt the clients got with the votes table (lost / duplicate votes).
 *    CPU per accepted vote is reported per process (functions, realtime with the writer, PostgreSQL,
 *    Redis) for the cold burst and the warm HTTP phase: the headline figures on a noisy machine.
 * 4. Drops the database and stops the children (the private Redis too), also on failure or Ctrl-C.
 *
 * Prints progress lines and ends with exactly one line: a JSON object of numbers. Bounded: a watchdog
 * aborts (and cleans up) after 240 s.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { sql } from 'drizzle-orm'
import Redis from 'ioredis'
import postgres from 'postgres'
import { createRedisBus } from '../../core/bus/redis.ts'
import { createChangeNotifier } from '../../core/changes/notifier.ts'
import { markVotingFactsChanged } from '../../core/changes/versions.ts'
import { silentLogger } from '../../core/log.ts'
import { createScreenToken, issueTicket } from '../../core/realtime-tokens.ts'
import { createVoteQueue, VOTE_STREAM } from '../../core/votes/queue.ts'
import { createVoteService } from '../../core/votes/service.ts'
import { WRITER_GROUP } from '../../core/votes/writer.ts'
import { type DatabaseHandle, openDatabase, rowsOf } from '../../db/client.ts'
import { childPidsOf } from '../testing.ts'
import { type BenchVoter, openMotions, seedBenchPh, signInAgain } from './fixture.ts'
import { compareStreamIds, cpuByProcess, freePort, keepNewest, percentile, round, rssOf } from './lib.ts'
import type { HttpLoadSpec, LoadResult, WsLoadSpec } from './load.ts'
import type { ViewersResult, ViewersSpec } from './viewers.ts'

// ---- Parameters (fixed so runs compare; see README.md for why each has its value) -------------------
/** Voters of the cold burst: `bun run bench --voters 10000` (the PH grows to at least that many units). */
const BURST_VOTERS = numberArgument('--voters', 2000, 1, 50_000)
/** WebSocket processes sharing the realtime port (REALTIME_PROCESSES; 1 as docker-compose.yml runs it). */
const REALTIME_PROCESSES = numberArgument('--realtime-processes', 1, 1, 8)
const UNITS = Math.max(2000, BURST_VOTERS)
/** Connections of the load tool, the same for the roof and every HTTP vote phase. */
const CONNECTIONS = 64
const WARMUP_MS = 1500
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8000)
/** Paced phase for the durable latency: this share of the measured HTTP rate. */
const DURABLE_SHARE = 0.5
const DURABLE_MAX_MS = 5000
const DURABLE_MOTIONS = 8
const VIEWERS = 5000
/**
 * Votes per second while the viewers listen: 2,000 voters voting within a minute or so, and enough for
 * every 100 ms tick to publish a delta. (At 300/s the expensive HTTP vote path alone saturated the two
 * cores, and the fan-out figure measured that instead of the fan-out.)
 */
const FANOUT_VOTE_RATE = 50
const FANOUT_MS = 6000
/** WebSocket votes: one socket per voter, under the server's limit of 20 burst / 10 per s. */
const WS_WINDOW = 2
/**
 * Vote messages in flight over all sockets. Unbounded (2,000 sockets × window) the realtime process
 * starts thousands of vote handlers at once, each waiting for one of its 10 pooled connections, and
 * its batch writer waits in the same queue; bounded like the HTTP phases' 64 connections instead.
 */
const WS_MAX_IN_FLIGHT = Number(process.env.BENCH_WS_MAX_IN_FLIGHT ?? 256)
const WS_BURST = 10
const WS_RATE = 8
const WATCHDOG_MS = 240_000
/** Voters of the cached-auth prototype phase (their caches warm up within the warm-up). */
const CACHED_VOTERS = 256

const root = join(import.meta.dir, '..', '..')
const startedAt = performance.now()
const progress = (message: string) =>
  console.log(`[bench ${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)}s] ${message}`)

const databaseUrl = process.env.DATABASE_URL?.trim()
if (!databaseUrl || !Bun.which('redis-server')) {
  console.error(
    'bun run bench needs the real servers: set DATABASE_URL (PostgreSQL; the bench creates and drops its ' +
      'own database there) and have redis-server on the PATH (the bench starts its own, with AOF, on a free ' +
      'port). Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bun run bench [--voters 10000]',
  )
  process.exit(2)
}

// ---- Cleanup, run once whatever happens ----------------------------------------------------------
const children: { name: string; proc: Subprocess }[] = []
/** CPU (cores) used by processes that are not the bench's during each phase: other work on the machine. */
const background: number[] = []
const cleanups: (() => Promise<unknown>)[] = []
let cleaning: Promise<void> | null = null
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { proc } of children) {
      if (proc.exitCode === null && !proc.killed) proc.kill('SIGTERM')
    }
    await Promise.race([Promise.all(children.map(({ proc }) => proc.exited)), Bun.sleep(3000)])
    for (const { proc } of children) if (proc.exitCode === null) proc.kill('SIGKILL')
    for (const step of cleanups.reverse()) await step().catch((error) => console.error('cleanup:', error))
  })()
  return cleaning
}
let interrupted = false
process.on('SIGINT', () => {
  interrupted = true
  console.error('\ninterrupted: cleaning up (dropping the bench database, stopping its Redis)')
  void cleanup().finally(() => process.exit(130))
})
process.on('SIGTERM', () => void cleanup().finally(() => process.exit(143)))
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, aborting`)
  void cleanup().finally(() => process.exit(1))
}, WATCHDOG_MS)

const work = mkdtempSync(join(tmpdir(), 'assembly-bench-'))
cleanups.push(async () => {
  if (process.env.BENCH_KEEP_LOGS) console.error(`bench: logs kept in ${work}`)
  else rmSync(work, { recursive: true, force: true })
})

// ---- The run ---------------------------------------------------------------------------------------
async function main() {
  // Redis: a private server with the production durability settings (AOF, fsync every second), so the
  // figures include its cost and no shared database is ever flushed.
  const { url: benchRedisUrl, pid: redisPid } = await startPrivateRedis()
  progress(`redis: private redis-server (appendonly yes, appendfsync everysec) at ${benchRedisUrl}`)

  // PostgreSQL: a fresh database.
  const databaseName = `bench_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 6)}`
  const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${databaseName}"`)
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`)
    await admin.end({ timeout: 5 })
  })
  const benchDatabaseUrl = new URL(databaseUrl!)
  benchDatabaseUrl.pathname = `/${databaseName}`
  const database = await openDatabase({ url: benchDatabaseUrl.toString(), poolSize: 4, appRole: null })
  cleanups.push(() => database.close())
  await database.migrate()
  progress(`postgres: created and migrated database ${databaseName}`)

  const sessionAbsoluteMs = 60 * 86_400_000
  const ph = await seedBenchPh(database.db, { units: UNITS, sessionAbsoluteMs })
  // Statistics, as autovacuum would have gathered them on a live database. Without them PostgreSQL
  // plans the quorum query (units left join attendance, under row-level security) as a nested loop:
  // 4 million policy checks, ~8 s per tally refresh at 2,000 units instead of ~7 ms.
  await database.db.execute(sql`analyze`)
  const bus = createRedisBus({ url: benchRedisUrl })
  cleanups.push(() => bus.close())
  const votes = createVoteService({ db: database.db, bus, queue: createVoteQueue(bus), log: silentLogger })
  const motions = {
    http: await openMotions(database.db, votes, ph, 'HTTP', 3),
    naive: await openMotions(database.db, votes, ph, 'Naive', 2),
    ws: await openMotions(database.db, votes, ph, 'WebSocket', 2),
    durable: await openMotions(database.db, votes, ph, 'Durable', DURABLE_MOTIONS),
    cached: await openMotions(database.db, votes, ph, 'Cached auth', 2),
  }
  progress(
    `seeded a PH of ${UNITS} units (coefficients sum to 100), ${UNITS} owners with sessions, all checked in; ` +
      `${Object.values(motions).flat().length} motions open`,
  )

  // Processes.
  const secretKey = crypto.getRandomValues(new Uint8Array(32))
  const ports = {
    functions: freePort(),
    realtime: freePort(),
    echo: freePort(),
    naive: freePort(),
    cached: freePort(),
    wrapper: freePort(),
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    APP_ENV: 'production',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATABASE_URL: benchDatabaseUrl.toString(),
    REDIS_URL: benchRedisUrl,
    SECRET_KEY: Buffer.from(secretKey).toString('base64'),
    // Required in production; never used here (no sign-in codes are sent).
    SMTP_URL: 'smtp://127.0.0.1:2525',
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${ports.functions}`,
    FUNCTIONS_PORT: String(ports.functions),
    REALTIME_PORT: String(ports.realtime),
    REALTIME_PROCESSES: String(REALTIME_PROCESSES),
    DATA_DIR: join(work, 'data'),
  }
  const functions = spawn('functions', ['bun', 'functions/_server.ts'], env)
  let realtime = spawn('realtime', ['bun', 'realtime/server.ts'], env)
  const echo = spawn('echo', ['bun', 'ops/bench/echo-server.ts', String(ports.echo)], env)
  const naive = spawn('naive', ['bun', 'ops/bench/naive-server.ts'], {
    ...env,
    FUNCTIONS_PORT: String(ports.naive),
    DATABASE_POOL_SIZE: '10',
  })
  const cached = spawn('cached', ['bun', 'ops/bench/cached-auth-server.ts'], {
    ...env,
    FUNCTIONS_PORT: String(ports.cached),
  })
  const wrapper = spawn('wrapper', ['bun', 'ops/bench/wrapper-server.ts'], {
    ...env,
    FUNCTIONS_PORT: String(ports.wrapper),
  })
  await Promise.all([
    waitHealthy('wrapper', wrapper, `http://127.0.0.1:${ports.wrapper}/api/health`),
    waitHealthy('cached', cached, `http://127.0.0.1:${ports.cached}/api/health`),
    waitHealthy('functions', functions, `http://127.0.0.1:${ports.functions}/api/health`),
    waitHealthy('realtime', realtime, `http://127.0.0.1:${ports.realtime}/api/health`),
    waitHealthy('echo', echo, `http://127.0.0.1:${ports.echo}/health`),
    waitHealthy('naive', naive, `http://127.0.0.1:${ports.naive}/api/health`),
  ])
  await waitSiblings(realtime)
  progress(
    `started functions :${ports.functions}, realtime :${ports.realtime} (${REALTIME_PROCESSES} processes, the first with the batch writer), ` +
      `echo :${ports.echo}, naive :${ports.naive}, cached-auth prototype :${ports.cached}`,
  )
  const pids = {
    functions: functions.pid,
    realtime: realtime.pid,
    echo: echo.pid,
    naive: naive.pid,
    cached: cached.pid,
    wrapper: wrapper.pid,
    redis: redisPid,
  } as Record<string, number>

  const accepted = new Map<string, string>()
  const mergeReceipts = (result: LoadResult) => {
    for (const [key, sequence] of result.receipts ?? []) keepNewest(accepted, key, sequence)
  }

  // Roof.
  const body = (unitId: string, option: string) =>
    `{"ballots":[{"unitId":"${unitId}","optionKeys":["${option}"]}]}`
  const request = (port: number, path: string, token: string, payload: string) =>
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`
  const OPTIONS = ['yes', 'no', 'abstain']
  /** Requests cycling through units first, then motions: consecutive requests never share a voter. */
  const voteRequests = (port: number, motionIds: string[], voters = ph.voters) =>
    motionIds.flatMap((motionId, m) =>
      voters.map((voter, u) =>
        request(
          port,
          `/api/organizations/${ph.organizationId}/motions/${motionId}/votes`,
          voter.token,
          body(voter.unitId, OPTIONS[(u + m) % 3]!),
        ),
      ),
    )
  const echoRequests = ph.voters.map((voter, u) =>
    request(ports.echo, '/echo', voter.token, body(voter.unitId, OPTIONS[u % 3]!)),
  )

  // Cold burst: what a real assembly does. The processes have just started (nothing cached), a check-in
  // wave has just moved the PH's facts version, a motion opens and BURST_VOTERS distinct voters each
  // cast their first vote at once. Measured from the open to the last of them committed in PostgreSQL.
  const coldBurst = async (label: string, voters: BenchVoter[], out: string) => {
    for (let i = 0; i < 5; i++) await markVotingFactsChanged(bus, ph.organizationId)
    const [motionId] = await openMotions(database.db, votes, ph, label, 1)
    const openedAt = Date.now()
    const result = await runLoad(databaseName, `${label.toLowerCase()} (${voters.length} voters)`, pids, {
      mode: 'http',
      port: ports.functions,
      connections: CONNECTIONS,
      warmupMs: 0,
      durationMs: 60_000,
      maxRequests: voters.length,
      requestsFile: await writeJson(
        `${out}-requests.json`,
        voteRequests(ports.functions, [motionId!], voters),
      ),
      collectReceipts: true,
      out: join(work, `${out}.json`),
    })
    mergeReceipts(result)
    await waitCommitted(benchRedisUrl)
    const committed = await lastCommitted(database, motionId!)
    const allCommittedS = (committed.at - openedAt) / 1000
    const cpu = cpuPerVote(result)
    progress(
      `${label.toLowerCase()}: ${committed.n} of ${voters.length} votes committed ${round(allCommittedS, 2)} s after ` +
        `the open; CPU per vote (µs) ${JSON.stringify(mapValues(cpu, (v) => Math.round(v)))}`,
    )
    return { result, committed, allCommittedS, cpu }
  }
  const burstVoters = ph.voters.slice(0, BURST_VOTERS)
  const burst1 = await coldBurst('Cold burst', burstVoters, 'burst')
  const {
    result: burst,
    committed: burstCommitted,
    allCommittedS: burstAllCommittedS,
    cpu: burstCpu,
  } = burst1
  // The same voters signed in again (new sessions) and the PH's memberships and facts moved, on the
  // processes the first burst warmed: every vote is still cold for its voter, nothing is cold for the
  // processes. The difference from the first burst is the processes' one-time warm-up.
  const tokens = await signInAgain(database.db, burstVoters, sessionAbsoluteMs)
  await createChangeNotifier({ bus }).announce({ organizationId: ph.organizationId, kinds: ['membership'] })
  const burst2 = await coldBurst(
    'Cold burst 2',
    burstVoters.map((voter, i) => ({ ...voter, token: tokens[i]! })),
    'burst2',
  )

  const roof = await runLoad(databaseName, 'roof echo', pids, {
    mode: 'http',
    port: ports.echo,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    requestsFile: await writeJson('echo-requests.json', echoRequests),
    out: join(work, 'roof.json'),
  })

  // The framework ceiling: the project's app wrapper around an empty vote-shaped route.
  const appRoof = await runLoad(databaseName, 'app roof (wrapper, empty route)', pids, {
    mode: 'http',
    port: ports.wrapper,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    requestsFile: await writeJson(
      'wrapper-requests.json',
      ph.voters.map((voter, u) =>
        request(ports.wrapper, '/api/echo', voter.token, body(voter.unitId, OPTIONS[u % 3]!)),
      ),
    ),
    out: join(work, 'wrapper.json'),
  })

  const http = await runLoad(databaseName, 'HTTP votes', pids, {
    mode: 'http',
    port: ports.functions,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    requestsFile: await writeJson('http-requests.json', voteRequests(ports.functions, motions.http)),
    collectReceipts: true,
    out: join(work, 'http.json'),
  })
  mergeReceipts(http)
  const warmCpu = cpuPerVote(http)
  progress(`HTTP votes (warm): CPU per vote (µs) ${JSON.stringify(mapValues(warmCpu, (v) => Math.round(v)))}`)

  // Prototype (ops/bench only): the same vote route with the auth plugin's look-ups cached in process.
  const cachedResult = await runLoad(databaseName, 'HTTP votes, cached auth (prototype)', pids, {
    mode: 'http',
    port: ports.cached,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    // The first 256 voters only, so that their sessions and memberships are cached during the warm-up:
    // the steady state of voters who signed in and loaded the page before voting.
    requestsFile: await writeJson(
      'cached-requests.json',
      voteRequests(ports.cached, motions.cached, ph.voters.slice(0, CACHED_VOTERS)),
    ),
    collectReceipts: true,
    out: join(work, 'cached.json'),
  })
  mergeReceipts(cachedResult)

  const naiveResult = await runLoad(databaseName, 'naive votes', pids, {
    mode: 'http',
    port: ports.naive,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    requestsFile: await writeJson('naive-requests.json', voteRequests(ports.naive, motions.naive)),
    out: join(work, 'naive.json'),
  })

  const ws = await runLoad(databaseName, 'WebSocket votes', pids, {
    mode: 'ws',
    url: `ws://127.0.0.1:${ports.realtime}/ws`,
    voters: await Promise.all(
      ph.voters.map(async (voter) => ({
        // Single use, recorded on the shared bus like the ticket route does.
        ticket: await issueTicket(
          bus,
          secretKey,
          { userId: voter.userId, sessionId: voter.token.split('.')[0]! },
          120_000,
        ),
        organizationId: ph.organizationId,
        unitId: voter.unitId,
      })),
    ),
    motionIds: motions.ws,
    window: WS_WINDOW,
    maxInFlight: WS_MAX_IN_FLIGHT,
    burst: WS_BURST,
    ratePerSecond: WS_RATE,
    warmupMs: WARMUP_MS,
    durationMs: PHASE_MS,
    out: join(work, 'ws.json'),
  })
  mergeReceipts(ws)
  await waitCommitted(benchRedisUrl)
  // Accept → commit while the vote phases ran at full speed (newest vote per row), for comparison.
  for (const [label, ids] of [
    ['HTTP votes', motions.http],
    ['cached auth', motions.cached],
    ['WebSocket votes', motions.ws],
  ] as const) {
    const row = await commitLatency(database, ids)
    progress(`${label}: accept → commit under full load p50 ${round(row.p50)} ms, p99 ${round(row.p99)} ms`)
  }

  // Durable latency: paced at about half the HTTP rate, one vote per distinct (motion, unit), so every
  // row of the durable motions is exactly one vote of this phase.
  const durableRate = Math.max(50, Math.round(http.okPerSecond * DURABLE_SHARE))
  const durablePairs = DURABLE_MOTIONS * UNITS
  const durableMs = Math.min(DURABLE_MAX_MS, Math.floor((durablePairs / durableRate) * 1000))
  const durable = await runLoad(databaseName, `durable (paced at ${durableRate}/s)`, pids, {
    mode: 'http',
    port: ports.functions,
    connections: CONNECTIONS,
    warmupMs: 0,
    durationMs: durableMs,
    rate: durableRate,
    maxRequests: durablePairs,
    requestsFile: await writeJson('durable-requests.json', voteRequests(ports.functions, motions.durable)),
    collectReceipts: true,
    out: join(work, 'durable.json'),
  })
  mergeReceipts(durable)
  await waitCommitted(benchRedisUrl)
  const durableRow = await commitLatency(database, motions.durable)
  progress(
    `durable: ${durableRow.n} votes accepted at ${round(durable.okPerSecond)}/s → committed: ` +
      `p50 ${round(durableRow.p50)} ms, p99 ${round(durableRow.p99)} ms`,
  )

  // Every receipt so far against the table, before closing (a close re-commits the latest ballots and
  // would hide a vote the writer lost).
  const fastMotions = [...motions.http, ...motions.cached, ...motions.ws, ...motions.durable]
  const check1 = await compareWithTable(database, fastMotions, accepted)
  progress(
    `receipts vs votes table (${fastMotions.length} motions): ${check1.rows} rows, ` +
      `lost ${check1.lost}, duplicate ${check1.duplicates}`,
  )
  // One open motion for the fan-out, as in a real assembly: close the others through the vote service.
  for (const motionId of [...fastMotions, ...motions.naive]) {
    await votes.close({ organizationId: ph.organizationId, motionId, actor: { userId: null } })
  }
  const fanoutMotion = await openMotions(database.db, votes, ph, 'Fan-out', 1)
  progress(`closed ${fastMotions.length + motions.naive.length} motions through the vote service; 1 open`)

  // Fan-out and memory per connection. The realtime process is restarted first (SIGTERM: its writer
  // stops cleanly; every vote is committed already): its RSS then holds no garbage of the vote phases,
  // which a garbage collection during the viewers' arrival would otherwise subtract from their cost.
  realtime.kill('SIGTERM')
  await realtime.exited
  realtime = spawn('realtime', ['bun', 'realtime/server.ts'], env)
  await waitHealthy('realtime', realtime, `http://127.0.0.1:${ports.realtime}/api/health`)
  await waitSiblings(realtime)
  pids.realtime = realtime.pid
  await Bun.sleep(1000)
  const rssBefore = await medianRss(realtime.pid, 3)
  const viewersSpec: ViewersSpec = {
    url: `ws://127.0.0.1:${ports.realtime}/ws`,
    screenToken: createScreenToken(secretKey, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
    }),
    count: VIEWERS,
    concurrency: 100,
    out: join(work, 'viewers.json'),
  }
  const viewers = Bun.spawn(
    ['bun', 'ops/bench/viewers.ts', await writeJson('viewers-spec.json', viewersSpec)],
    {
      cwd: root,
      env,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: Bun.file(join(work, 'viewers.log')),
    },
  )
  children.push({ name: 'viewers', proc: viewers })
  pids.viewers = viewers.pid
  const lines = lineReader(viewers.stdout)
  const readyLine = await withTimeout(lines.next(), 40_000, 'viewers did not connect within 40 s')
  if (readyLine.done || !readyLine.value.startsWith('READY')) throw new Error(`viewers: ${readyLine.value}`)
  progress(`${VIEWERS} viewers connected with a screen link in ${readyLine.value.split(' ')[2]} ms`)
  const rssSeries: number[] = []
  for (let i = 0; i < 12; i++) {
    await Bun.sleep(250)
    rssSeries.push(await rssOf(realtime.pid))
  }
  progress(
    `realtime RSS after the viewers connected (MiB, every 250 ms): ${rssSeries.map((v) => round(v / 2 ** 20)).join(' ')}`,
  )
  const rssAfter = percentile(rssSeries.slice(4), 50)
  const rssPerConn = (rssAfter - rssBefore) / VIEWERS
  progress(
    `realtime RSS ${round(rssBefore / 2 ** 20)} MiB → ${round(rssAfter / 2 ** 20)} MiB: ` +
      `${Math.round(rssPerConn)} bytes per connection`,
  )
  const trigger = await runLoad(databaseName, `fan-out votes (${FANOUT_VOTE_RATE}/s)`, pids, {
    mode: 'http',
    port: ports.functions,
    connections: 8,
    warmupMs: 0,
    durationMs: FANOUT_MS,
    rate: FANOUT_VOTE_RATE,
    requestsFile: await writeJson('fanout-requests.json', voteRequests(ports.functions, fanoutMotion)),
    collectReceipts: true,
    out: join(work, 'trigger.json'),
  })
  mergeReceipts(trigger)
  const fanoutViewerCores = (trigger.cpuSeconds.viewers ?? 0) / trigger.seconds
  await waitCommitted(benchRedisUrl)
  await Bun.sleep(400) // the last tick
  viewers.stdin.write('stop\n')
  await viewers.stdin.flush()
  await withTimeout(lines.next(), 15_000, 'viewers did not stop')
  const fanout = (await Bun.file(viewersSpec.out).json()) as ViewersResult
  progress(
    `fan-out: ${fanout.ticks} deltas × ${fanout.viewers} viewers = ${fanout.samples} receipts; ` +
      `delta.at → received p50 ${round(fanout.latency.p50)} ms, p99 ${round(fanout.latency.p99)} ms, ` +
      `max ${round(fanout.latency.max)} ms; first viewer per delta p50 ${round(fanout.firstViewer.p50)} ms, ` +
      `last viewer per delta p50 ${round(fanout.lastViewer.p50)} ms, ` +
      `p99 ${round(fanout.lastViewer.p99)} ms; incomplete deltas ${fanout.incompleteTicks}, ` +
      `resyncs ${fanout.snapshotsAfterReady}, gaps ${fanout.gaps}, closed ${fanout.closed}; other messages ${JSON.stringify(fanout.messageTypes)}`,
  )

  // The floor for the same viewers: a bare Bun server publishing a frame of the same order of size.
  const floorPort = freePort()
  const floor = spawn('floor', ['bun', 'ops/bench/publish-floor.ts', String(floorPort), '600'], env)
  await waitHealthy('floor', floor, `http://127.0.0.1:${floorPort}/health`)
  const floorSpec: ViewersSpec = {
    ...viewersSpec,
    url: `ws://127.0.0.1:${floorPort}/ws`,
    out: join(work, 'floor-viewers.json'),
  }
  const floorViewers = Bun.spawn(
    ['bun', 'ops/bench/viewers.ts', await writeJson('floor-spec.json', floorSpec)],
    {
      cwd: root,
      env,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: Bun.file(join(work, 'floor-viewers.log')),
    },
  )
  children.push({ name: 'floor-viewers', proc: floorViewers })
  const floorLines = lineReader(floorViewers.stdout)
  const floorReady = await withTimeout(floorLines.next(), 40_000, 'floor viewers did not connect within 40 s')
  if (floorReady.done || !floorReady.value.startsWith('READY'))
    throw new Error(`floor viewers: ${floorReady.value}`)
  await fetch(`http://127.0.0.1:${floorPort}/go?ticks=${Math.max(8, fanout.ticks)}`, { method: 'POST' })
  await Bun.sleep(Math.max(8, fanout.ticks) * 100 + 1000)
  floorViewers.stdin.write('stop\n')
  await floorViewers.stdin.flush()
  await withTimeout(floorLines.next(), 15_000, 'floor viewers did not stop')
  const floorResult = (await Bun.file(floorSpec.out).json()) as ViewersResult
  floor.kill('SIGTERM')
  progress(
    `fan-out floor (bare Bun publish, same ${VIEWERS} viewers): p50 ${round(floorResult.latency.p50)} ms, ` +
      `p99 ${round(floorResult.latency.p99)} ms over ${floorResult.ticks} frames; ` +
      `viewers process CPU during the product's fan-out ${round(fanoutViewerCores, 2)} cores`,
  )

  const check2 = await compareWithTable(database, fanoutMotion, accepted)
  progress(
    `receipts vs votes table (fan-out motion): ${check2.rows} rows, lost ${check2.lost}, duplicate ${check2.duplicates}`,
  )
  await votes.close({
    organizationId: ph.organizationId,
    motionId: fanoutMotion[0]!,
    actor: { userId: null },
  })

  const r = (value: number, digits = 1) => round(value, digits)
  const figures = {
    roof_echo_rps: r(roof.okPerSecond, 0),
    http_votes_rps: r(http.okPerSecond, 0),
    ws_votes_rps: r(ws.okPerSecond, 0),
    naive_votes_rps: r(naiveResult.okPerSecond, 0),
    durable_p50_ms: r(durableRow.p50),
    durable_p99_ms: r(durableRow.p99),
    fanout_viewers: fanout.viewers - fanout.closed,
    fanout_p99_ms: r(fanout.latency.p99),
    fanout_last_viewer_p99_ms: r(fanout.lastViewer.p99),
    fanout_floor_p99_ms: r(floorResult.latency.p99),
    fanout_over_floor: r(fanout.latency.p99 / Math.max(0.1, floorResult.latency.p99), 2),
    fanout_viewers_cpu_cores: r(fanoutViewerCores, 2),
    ws_rss_bytes_per_conn: Math.round(rssPerConn),
    lost_votes: check1.lost + check2.lost,
    duplicate_votes: check1.duplicates + check2.duplicates,
    http_over_roof: r(http.okPerSecond / roof.okPerSecond, 3),
    app_roof_rps: r(appRoof.okPerSecond, 0),
    http_over_app_roof: r(http.okPerSecond / appRoof.okPerSecond, 3),
    http_over_naive: r(http.okPerSecond / naiveResult.okPerSecond, 2),
    http_votes_cached_auth_rps: r(cachedResult.okPerSecond, 0),
    cached_auth_over_roof: r(cachedResult.okPerSecond / roof.okPerSecond, 3),
    http_votes_p99_ms: r(http.latency.p99),
    naive_votes_p99_ms: r(naiveResult.latency.p99),
    ws_votes_p99_ms: r(ws.latency.p99),
    burst_voters: BURST_VOTERS,
    burst_committed_votes: burstCommitted.n,
    burst_all_committed_s: r(burstAllCommittedS, 2),
    burst_accepted_per_s: r(burst.okTotal / burst.seconds, 0),
    burst_p99_ms: r(burst.latency.p99),
    cpu_us_per_vote_functions_cold: r(burstCpu.functions, 0),
    cpu_us_per_vote_realtime_cold: r(burstCpu.realtime, 0),
    cpu_us_per_vote_postgres_cold: r(burstCpu.postgres, 0),
    cpu_us_per_vote_redis_cold: r(burstCpu.redis, 0),
    cpu_us_per_vote_total_cold: r(burstCpu.total, 0),
    burst2_committed_votes: burst2.committed.n,
    burst2_all_committed_s: r(burst2.allCommittedS, 2),
    burst2_accepted_per_s: r(burst2.result.okTotal / burst2.result.seconds, 0),
    cpu_us_per_vote_functions_cold2: r(burst2.cpu.functions, 0),
    cpu_us_per_vote_realtime_cold2: r(burst2.cpu.realtime, 0),
    cpu_us_per_vote_postgres_cold2: r(burst2.cpu.postgres, 0),
    cpu_us_per_vote_redis_cold2: r(burst2.cpu.redis, 0),
    cpu_us_per_vote_total_cold2: r(burst2.cpu.total, 0),
    cpu_us_per_vote_functions: r(warmCpu.functions, 0),
    cpu_us_per_vote_realtime: r(warmCpu.realtime, 0),
    cpu_us_per_vote_postgres: r(warmCpu.postgres, 0),
    cpu_us_per_vote_redis: r(warmCpu.redis, 0),
    cpu_us_per_vote_total: r(warmCpu.total, 0),
    /** The vote ceiling: all cores divided by the total CPU one warm vote costs. */
    vote_ceiling_rps: r((navigator.hardwareConcurrency * 1e6) / Math.max(1, warmCpu.total), 0),
    ws_over_http: r(ws.okPerSecond / http.okPerSecond, 2),
    connections: CONNECTIONS,
    units: UNITS,
    cpus: navigator.hardwareConcurrency,
    realtime_processes: REALTIME_PROCESSES,
    background_cpu_cores: r(background.reduce((a, b) => a + b, 0) / Math.max(1, background.length), 2),
  }
  const targets: [string, boolean, string][] = [
    ['http_votes_rps / roof_echo_rps ≥ 0.35', figures.http_over_roof >= 0.35, String(figures.http_over_roof)],
    [
      'http_votes_rps / naive_votes_rps ≥ 2.5',
      figures.http_over_naive >= 2.5,
      String(figures.http_over_naive),
    ],
    ['durable_p99_ms ≤ 200', figures.durable_p99_ms <= 200, `${figures.durable_p99_ms} ms`],
    [
      `fanout_p99_ms ≤ 50 at ≥ 5,000 viewers`,
      figures.fanout_p99_ms <= 50 && figures.fanout_viewers >= 5000,
      `${figures.fanout_p99_ms} ms at ${figures.fanout_viewers}`,
    ],
    [
      'fanout_p99_ms ≤ 1.5 × the bare-publish floor',
      figures.fanout_over_floor <= 1.5,
      `${figures.fanout_p99_ms} ms vs floor ${figures.fanout_floor_p99_ms} ms (${figures.fanout_over_floor}×)`,
    ],
    [
      'ws_rss_bytes_per_conn ≤ 4096',
      figures.ws_rss_bytes_per_conn <= 4096,
      `${figures.ws_rss_bytes_per_conn} B`,
    ],
    [
      `burst_all_committed_s ≤ ${BURST_VOTERS >= 10_000 ? 8 : 2} (${BURST_VOTERS} voters)`,
      figures.burst_all_committed_s <= (BURST_VOTERS >= 10_000 ? 8 : 2) &&
        figures.burst_committed_votes === BURST_VOTERS,
      `${figures.burst_all_committed_s} s, ${figures.burst_committed_votes} committed`,
    ],
    [
      'cpu_us_per_vote_total ≤ 100 (warm)',
      figures.cpu_us_per_vote_total <= 100,
      `${figures.cpu_us_per_vote_total} µs`,
    ],
    [
      'cpu_us_per_vote_total_cold ≤ 400',
      figures.cpu_us_per_vote_total_cold <= 400,
      `${figures.cpu_us_per_vote_total_cold} µs`,
    ],
    ['ws_votes_rps ≥ 2 × http_votes_rps', figures.ws_over_http >= 2, String(figures.ws_over_http)],
    ['lost_votes = 0', figures.lost_votes === 0, String(figures.lost_votes)],
    ['duplicate_votes = 0', figures.duplicate_votes === 0, String(figures.duplicate_votes)],
  ]
  console.log('')
  console.log(
    `roof ${figures.roof_echo_rps}/s · HTTP votes ${figures.http_votes_rps}/s · naive ${figures.naive_votes_rps}/s · ` +
      `WebSocket votes ${figures.ws_votes_rps}/s · HTTP votes with cached auth (prototype) ` +
      `${figures.http_votes_cached_auth_rps}/s (${figures.cached_auth_over_roof} of the roof)`,
  )
  for (const [name, pass, value] of targets) console.log(`  ${pass ? 'PASS' : 'MISS'}  ${name}: ${value}`)
  return figures
}

// ---- Helpers ---------------------------------------------------------------------------------------

function spawn(name: string, cmd: string[], env: Record<string, string>): Subprocess {
  const log = Bun.file(join(work, `${name}.log`))
  // BENCH_PROFILE=functions,realtime: CPU profiles (markdown) of those children, kept with BENCH_KEEP_LOGS.
  if (process.env.BENCH_PROFILE?.split(',').includes(name)) {
    cmd = [cmd[0]!, '--cpu-prof-md', `--cpu-prof-dir=${work}`, `--cpu-prof-name=${name}.md`, ...cmd.slice(1)]
  }
  const proc = Bun.spawn(cmd, { cwd: root, env, stdout: log, stderr: log, stdin: 'ignore' })
  children.push({ name, proc })
  return proc
}

/** Waits until the realtime process has started its REALTIME_PROCESSES - 1 siblings, and they listen. */
async function waitSiblings(proc: Subprocess): Promise<void> {
  const deadline = performance.now() + 20_000
  while (childPidsOf(proc.pid).length < REALTIME_PROCESSES - 1) {
    if (performance.now() > deadline) throw new Error('realtime siblings did not start within 20 s')
    await Bun.sleep(100)
  }
  await Bun.sleep(REALTIME_PROCESSES > 1 ? 1000 : 0)
}

async function waitHealthy(name: string, proc: Subprocess, url: string): Promise<void> {
  const deadline = performance.now() + 20_000
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with code ${proc.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await Bun.sleep(100)
  }
  throw new Error(`${name} did not answer ${url} within 20 s`)
}

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(work, name)
  await Bun.write(path, JSON.stringify(value))
  return path
}

/** Runs the load tool for one phase; prints its figures and how the CPU was shared meanwhile. */
async function runLoad(
  databaseName: string,
  label: string,
  pids: Record<string, number>,
  spec: HttpLoadSpec | WsLoadSpec,
): Promise<PhaseResult> {
  progress(
    `${label}: ${spec.mode === 'ws' ? `${spec.voters.length} sockets` : `${spec.connections} connections`}, ` +
      `${spec.warmupMs ? `${spec.warmupMs / 1000} s warm-up + ` : ''}${spec.durationMs / 1000} s…`,
  )
  const specFile = await writeJson(`${label.replace(/\W+/g, '-')}-spec.json`, spec)
  const before = await cpuByProcess()
  const t0 = performance.now()
  const load = Bun.spawn(['bun', 'ops/bench/load.ts', specFile], {
    cwd: root,
    stdout: Bun.file(join(work, 'load.log')),
    stderr: Bun.file(join(work, 'load.log')),
  })
  children.push({ name: 'load', proc: load })
  const code = await load.exited
  const seconds = (performance.now() - t0) / 1000
  const after = await cpuByProcess()
  if (code !== 0) throw new Error(`load tool failed (exit ${code}) in phase ${label}`)
  const result = (await Bun.file(spec.out).json()) as LoadResult
  // CPU split over the whole phase (connect, warm-up and drain included), in cores.
  const shares: Record<string, number> = { load: result.cpuMs / 1000 / seconds }
  const cpuSeconds: Record<string, number> = { load: result.cpuMs / 1000 }
  const ours = new Map(Object.entries(pids).map(([name, pid]) => [pid, name]))
  ours.set(process.pid, 'orchestrator')
  for (const [pid, info] of after) {
    const ticks = info.ticks - (before.get(pid)?.ticks ?? 0)
    if (ticks <= 0) continue
    const group =
      ours.get(pid) ??
      (info.parent === pids.realtime ? 'realtime' : undefined) ??
      (info.comm === 'postgres' && info.cmdline.includes(databaseName) ? 'postgres' : 'other sessions')
    shares[group] = (shares[group] ?? 0) + ticks / 100 / seconds
    cpuSeconds[group] = (cpuSeconds[group] ?? 0) + ticks / 100
  }
  background.push(shares['other sessions'] ?? 0)
  const cpu = Object.entries(shares)
    .filter(([, cores]) => cores >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
    .join(', ')
  const statuses = Object.entries(result.statuses)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ')
  progress(
    `${label}: ${round(result.okPerSecond, 0)}/s ok; latency p50 ${round(result.latency.p50)} ms, ` +
      `p99 ${round(result.latency.p99)} ms; responses ${statuses || 'none'}` +
      `${result.errors ? `; errors ${result.errors}` : ''}${result.unanswered ? `; unanswered ${result.unanswered}` : ''}`,
  )
  progress(`${label}: cpu (cores of ${navigator.hardwareConcurrency}) ${cpu}`)
  return { ...result, cpuSeconds, seconds }
}

interface PhaseResult extends LoadResult {
  /** CPU seconds per process group over the whole phase. */
  cpuSeconds: Record<string, number>
  seconds: number
}

/**
 * CPU per accepted vote (µs) by process, over a whole phase: stable on a noisy machine where
 * requests/s swing 2–3×. `total` is what serving the votes cost (the load tool and other sessions
 * excluded).
 */
function cpuPerVote(phase: PhaseResult) {
  const us = (group: string) => ((phase.cpuSeconds[group] ?? 0) * 1e6) / Math.max(1, phase.okTotal)
  const perVote = {
    functions: us('functions'),
    realtime: us('realtime'),
    postgres: us('postgres'),
    redis: us('redis'),
  }
  return { ...perVote, total: perVote.functions + perVote.realtime + perVote.postgres + perVote.redis }
}

/** Waits until the writer's group has read every entry of the stream and acknowledged it. */
async function waitCommitted(url: string): Promise<void> {
  const redis = new Redis(url)
  try {
    const deadline = performance.now() + 30_000
    while (performance.now() < deadline) {
      const info = (await redis.xinfo('STREAM', VOTE_STREAM)) as unknown[]
      const lastId = String(info[info.indexOf('last-generated-id') + 1])
      const groups = (await redis.xinfo('GROUPS', VOTE_STREAM)) as unknown[][]
      const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === WRITER_GROUP)
      if (group) {
        const pending = Number(group[group.indexOf('pending') + 1])
        const delivered = String(group[group.indexOf('last-delivered-id') + 1])
        if (pending === 0 && delivered === lastId) return
      }
      await Bun.sleep(50)
    }
    throw new Error('the batch writer did not commit every accepted vote within 30 s')
  } finally {
    redis.disconnect()
  }
}

/**
 * Receipts (newest sequence per (motion, unit) any client was given) against the table: lost = an
 * accepted (motion, unit) missing or holding an older sequence; duplicate = rows beyond one per
 * (motion, unit), or a row holding a sequence no client was told about.
 */
async function compareWithTable(
  database: DatabaseHandle,
  motionIds: string[],
  accepted: Map<string, string>,
) {
  const rows = rowsOf<{ motion_id: string; unit_id: string; sequence: string }>(
    await database.db.execute(
      sql`select motion_id, unit_id, sequence from votes where motion_id in (${sql.join(
        motionIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    ),
  )
  const wanted = new Set(motionIds)
  let lost = 0
  let duplicates = 0
  const seen = new Set<string>()
  for (const row of rows) {
    const key = `${row.motion_id}:${row.unit_id}`
    if (seen.has(key)) {
      duplicates += 1
      continue
    }
    seen.add(key)
    const sequence = accepted.get(key)
    if (sequence === undefined) duplicates += 1
    else {
      const order = compareStreamIds(row.sequence, sequence)
      if (order < 0) lost += 1
      else if (order > 0) duplicates += 1
    }
  }
  for (const key of accepted.keys()) {
    if (wanted.has(key.slice(0, key.indexOf(':'))) && !seen.has(key)) lost += 1
  }
  return { rows: rows.length, lost, duplicates }
}

/** committed_at − cast_at percentiles (ms) of the rows of some motions. */
async function commitLatency(database: DatabaseHandle, motionIds: string[]) {
  const [row] = rowsOf<{ p50: number | null; p99: number | null; n: number }>(
    await database.db.execute(sql`
      select percentile_cont(0.5) within group (order by ms) as p50,
             percentile_cont(0.99) within group (order by ms) as p99, count(*)::int as n
      from (select extract(epoch from committed_at - cast_at) * 1000 as ms from votes
            where motion_id in (${sql.join(
              motionIds.map((id) => sql`${id}`),
              sql`, `,
            )})) d`),
  )
  return { p50: Number(row?.p50 ?? 0), p99: Number(row?.p99 ?? 0), n: row?.n ?? 0 }
}

/** When the last vote of a motion was committed (ms since the epoch), and how many rows it has. */
async function lastCommitted(database: DatabaseHandle, motionId: string) {
  const [row] = rowsOf<{ at: number | null; n: number }>(
    await database.db.execute(
      sql`select extract(epoch from max(committed_at)) * 1000 as at, count(*)::int as n from votes where motion_id = ${motionId}`,
    ),
  )
  return { at: Number(row?.at ?? 0), n: Number(row?.n ?? 0) }
}

function mapValues<T extends Record<string, number>>(record: T, fn: (value: number) => number): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)])) as T
}

async function medianRss(pid: number, samples: number): Promise<number> {
  const values: number[] = []
  for (let i = 0; i < samples; i++) {
    values.push(await rssOf(pid))
    if (i < samples - 1) await Bun.sleep(200)
  }
  return percentile(values, 50)
}

function lineReader(stream: ReadableStream<Uint8Array>): AsyncIterator<string> {
  const decoder = new TextDecoder()
  const reader = stream.getReader()
  let buffered = ''
  return {
    async next() {
      for (;;) {
        const newline = buffered.indexOf('\n')
        if (newline >= 0) {
          const line = buffered.slice(0, newline)
          buffered = buffered.slice(newline + 1)
          return { done: false, value: line }
        }
        const { done, value } = await reader.read()
        if (done) return { done: true, value: buffered }
        buffered += decoder.decode(value, { stream: true })
      }
    },
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: Timer | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A private redis-server on a free port, with AOF as production runs it; stopped and removed at the end. */
async function startPrivateRedis(): Promise<{ url: string; pid: number }> {
  const port = freePort()
  const dir = join(work, 'redis')
  mkdirSync(dir, { recursive: true })
  const proc = spawn(
    'redis',
    [
      'redis-server',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
    ],
    { PATH: process.env.PATH ?? '' },
  )
  const url = `redis://127.0.0.1:${port}`
  const deadline = performance.now() + 10_000
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with code ${proc.exitCode}`)
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {}) // refused until the server listens
    try {
      await probe.connect()
      if ((await probe.ping()) === 'PONG') return { url, pid: proc.pid }
    } catch {
      // not listening yet
    } finally {
      probe.disconnect()
    }
    await Bun.sleep(100)
  }
  throw new Error('the private redis-server did not answer within 10 s')
}

/** `--voters N` on the command line (the cold burst's voter count), else the default. */
function numberArgument(flag: string, fallback: number, min: number, max: number): number {
  const at = process.argv.indexOf(flag)
  if (at < 0) return fallback
  const value = Number(process.argv[at + 1])
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench: ${flag} takes a whole number from ${min} to ${max}`)
    process.exit(2)
  }
  return value
}

// ---- Entry point (last, so that every constant above is initialized) --------------------------
try {
  const figures = await main()
  clearTimeout(watchdog)
  await cleanup()
  console.log(JSON.stringify(figures))
  process.exit(0)
} catch (error) {
  clearTimeout(watchdog)
  if (interrupted) await new Promise(() => {}) // the SIGINT handler cleans up and exits
  console.error('bench failed:', error)
  for (const name of new Set(children.map((child) => child.name))) {
    const log = Bun.file(join(work, `${name}.log`))
    if (await log.exists()) {
      const text = await log.text()
      if (text.trim())
        console.error(`--- last lines of ${name}.log ---\n${text.trim().split('\n').slice(-15).join('\n')}`)
    }
  }
  await cleanup()
  process.exit(1)
}
