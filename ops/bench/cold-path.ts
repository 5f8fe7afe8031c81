/**
 * Where a cold vote's CPU goes, in one process: the functions app (every route file, `app.handle`, no
 * socket) on a PostgreSQL database of its own and a bus under a private key prefix, voting as the
 * bench's cold burst does, measured by CPU deltas (this process: `process.cpuUsage()`; PostgreSQL: its
 * backends of this database, from /proc) and by statement counts.
 *
 * 1. **Wave 1**: a fresh app, a check-in wave, a motion opens, every voter's first vote, in segments
 *    (the first vote, votes 2–10, 11–100, …): the one-time warm-up is in the first segments.
 * 2. **Wave 2**: the same app (warm), every voter with a *new* session, the membership and facts versions
 *    moved, a new motion: each vote is cold for its voter, nothing is cold for the process.
 * 3. **Warm**: wave 2's voters vote again (sessions, memberships, facts cached).
 * 4. Parts: validateSession and resolveMembership called alone, per call.
 *
 * `DATABASE_URL=postgres://… [REDIS_URL=redis://…] bun ops/bench/cold-path.ts [--voters 2000]`
 * Ends with one JSON line.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { randomToken, sha256Bytes } from '../../core/auth/crypto.ts'
import { resolveMembership } from '../../core/auth/membership.ts'
import { validateSession } from '../../core/auth/sessions.ts'
import { createTestBus } from '../../core/bus/testing.ts'
import { markVotingFactsChanged, membershipVersion } from '../../core/changes/versions.ts'
import { loadConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/log.ts'
import { createServices } from '../../core/services.ts'
import { rowsOf } from '../../db/client.ts'
import { sessions } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestApp } from '../../functions/_lib/testing.ts'
import { type BenchVoter, openMotions, seedBenchPh } from './fixture.ts'
import { cpuByProcess, round } from './lib.ts'

if (!process.env.DATABASE_URL) {
  console.error(
    'cold-path: set DATABASE_URL (a PostgreSQL server; a database of its own is created and dropped)',
  )
  process.exit(2)
}
const at = process.argv.indexOf('--voters')
const VOTERS = at > 0 ? Number(process.argv[at + 1]) : 2000
const SEGMENTS = [1, 10, 100, 500, VOTERS].filter((end, i, all) => end <= VOTERS && all.indexOf(end) === i)

/** Statements sent through drizzle (BEGIN and COMMIT of a transaction are not among them). */
let statements = 0
const secretKey = crypto.getRandomValues(new Uint8Array(32))
const config = loadConfig({
  APP_ENV: 'test',
  SECRET_KEY: Buffer.from(secretKey).toString('base64'),
  DATA_DIR: mkdtempSync(join(tmpdir(), 'cold-path-')),
})
const database = await createTestDatabase({
  appRole: config.databaseAppRole,
  onQuery: () => {
    statements += 1
  },
})
const bus = createTestBus()
const services = createServices({ config, secretKey, database, bus, log: silentLogger })
const [{ name: databaseName } = { name: '' }] = rowsOf<{ name: string }>(
  await services.db.execute(sql`select current_database() as name`),
)
const ph = await seedBenchPh(services.db, { units: VOTERS, sessionAbsoluteMs: 60 * 86_400_000 })
await services.db.execute(sql`analyze`)
const app = await createTestApp(services)
const policy = {
  idleMs: services.config.auth.sessionIdleMs,
  absoluteMs: services.config.auth.sessionAbsoluteMs,
}

async function postgresTicks(): Promise<number> {
  let ticks = 0
  for (const info of (await cpuByProcess()).values()) {
    if (info.comm === 'postgres' && info.cmdline.includes(databaseName)) ticks += info.ticks
  }
  return ticks
}

/** CPU per call (µs) of this process and of PostgreSQL over `run`, and transactions per call. */
async function measure(calls: number, run: () => Promise<unknown>) {
  const pgBefore = await postgresTicks()
  const statementsBefore = statements
  const start = process.cpuUsage()
  const wall = performance.now()
  await run()
  const used = process.cpuUsage(start)
  const ms = performance.now() - wall
  const pgAfter = await postgresTicks()
  return {
    calls,
    app_us: round((used.user + used.system) / calls, 0),
    postgres_us: round(((pgAfter - pgBefore) * 10_000) / calls, 0),
    statements: round((statements - statementsBefore) / calls, 2),
    wall_ms: round(ms, 0),
  }
}

const body = (voter: BenchVoter, option: string) =>
  JSON.stringify({ ballots: [{ unitId: voter.unitId, optionKeys: [option] }] })

async function vote(motionId: string, voter: BenchVoter, token: string, option: string) {
  const response = await app.handle(
    new Request(`http://localhost/api/organizations/${ph.organizationId}/motions/${motionId}/votes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body(voter, option),
    }),
  )
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`vote: ${response.status} ${await response.text()}`)
  }
}

/** Votes of `voters` on one motion, 16 at a time (the bench uses 64 connections), in segments. */
async function wave(motionId: string, tokens: string[], option: string) {
  const out: Record<string, unknown> = {}
  let from = 0
  for (const end of SEGMENTS) {
    const slice = ph.voters.slice(from, end)
    out[`votes_${from + 1}_${end}`] = await measure(slice.length, async () => {
      for (let i = 0; i < slice.length; i += 16) {
        await Promise.all(
          slice.slice(i, i + 16).map((voter, j) => vote(motionId, voter, tokens[from + i + j]!, option)),
        )
      }
    })
    from = end
  }
  return out
}

async function checkInWave() {
  for (let i = 0; i < 5; i++) await markVotingFactsChanged(services.bus, ph.organizationId)
}

// Wave 1: fresh app, every voter's first vote.
await checkInWave()
const [motion1] = await openMotions(services.db, services.votes, ph, 'Wave 1', 1)
const wave1 = await wave(
  motion1!,
  ph.voters.map((voter) => voter.token),
  'yes',
)

// Wave 2: new sessions for every voter, memberships and facts moved.
const secrets = ph.voters.map(() => ({ id: randomToken(), secret: randomToken() }))
await withPlatformScope(services.db, (tx) =>
  tx.insert(sessions).values(
    secrets.map(({ id, secret }, i) => ({
      id,
      userId: ph.voters[i]!.userId,
      secretHash: sha256Bytes(secret),
      expiresAt: new Date(Date.now() + 86_400_000),
      lastSeenAt: new Date(),
    })),
  ),
)
const tokens2 = secrets.map(({ id, secret }) => `${id}.${secret}`)
await services.changes.announce({ organizationId: ph.organizationId, kinds: ['membership'] })
await checkInWave()
const [motion2] = await openMotions(services.db, services.votes, ph, 'Wave 2', 1)
const wave2 = await wave(motion2!, tokens2, 'no')
const warm = await wave(motion2!, tokens2, 'abstain')

// Parts, each alone.
const sample = ph.voters.slice(0, Math.min(500, VOTERS))
const parts = {
  validate_session: await measure(sample.length, async () => {
    for (const [i] of sample.entries()) await validateSession(services.db, tokens2[i]!, policy)
  }),
  resolve_membership: await measure(sample.length, async () => {
    for (const voter of sample) await resolveMembership(services.db, voter.userId, ph.organizationId)
  }),
  membership_version: await measure(sample.length, async () => {
    for (const _ of sample) await membershipVersion(services.bus, ph.organizationId)
  }),
}
console.log(JSON.stringify({ voters: VOTERS, wave1, wave2, warm, parts }))
await bus.close()
await database.close()
process.exit(0)
