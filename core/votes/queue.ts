import type Redis from 'ioredis'
import type { MemoryBus } from '../bus/memory.ts'
import type { RedisBus } from '../bus/redis.ts'
import type { Bus, StreamEntry } from '../bus/types.ts'

/**
 * The accept step of the vote path (step 2 of README.md's "The vote path"): one atomic operation checks that the
 * motion is open, appends every ballot of the request to the vote stream and records it as the unit's
 * latest ballot. Closing flips the state in the same atomic world, so no ballot is accepted after a
 * close, and returns the latest ballot of every unit so the closer can commit them before tallying.
 */

export const VOTE_STREAM = 'votes:stream'

/** What travels through the stream: everything the writer needs to upsert the vote row. */
export interface QueuedBallot {
  organizationId: string
  assemblyId: string
  motionId: string
  unitId: string
  optionKeys: string[]
  /** Coefficient snapshot, decimal string with 9 places. */
  weight: string
  upToDate: boolean
  channel: string
  castByUserId: string | null
  castByPersonId: string | null
  proxyId: string | null
  receipt: string
  castAt: number
}

export interface AcceptedEntry {
  unitId: string
  /** The stream entry id: the order key of the vote (newest wins). */
  sequence: string
}

export type AcceptResult =
  | { ok: true; entries: AcceptedEntry[] }
  | { ok: false; reason: 'not_open' }
  /** The caller decided with facts older than `version` (see AcceptOptions.facts): decide again. */
  | { ok: false; reason: 'stale_facts'; version: string }
  /** The caller's membership was read at an older version (see AcceptOptions.membership). */
  | { ok: false; reason: 'stale_membership' }

export interface AcceptOptions {
  /**
   * The bus key and value of the facts version the caller's decision rests on: the ballots are
   * appended only while the key still holds that value ('0' when absent), checked in the same atomic
   * step, so a cached decision never outlives a change and the happy path needs no read of its own.
   */
  facts?: { key: string; version: string }
  /**
   * The same for the voter's membership (who they are in the PH, hence which units they may vote for):
   * a membership taken from a process cache without reading its version is checked here, in the step
   * that appends, so a vote never rests on a membership that has since changed.
   */
  membership?: { key: string; version: string }
}

export interface VoteQueue {
  /** Marks the motion open for ballots (idempotent); refuses to reopen a closed one. */
  open(motionId: string): Promise<boolean>
  /** All ballots or none: they are appended only while the motion is open (and the facts current). */
  accept(motionId: string, ballots: QueuedBallot[], options?: AcceptOptions): Promise<AcceptResult>
  /** Closes atomically; returns the latest accepted ballot of every unit with its sequence. */
  close(motionId: string): Promise<(QueuedBallot & { sequence: string })[]>
  state(motionId: string): Promise<'open' | 'closed' | null>
  /** Latest accepted ballots of a motion (live, not yet necessarily committed). */
  latest(motionId: string): Promise<(QueuedBallot & { sequence: string })[]>
}

const stateKey = (motionId: string) => `votes:motion:${motionId}:state`
const ballotsKey = (motionId: string) => `votes:motion:${motionId}:ballots`

export function encodeBallot(ballot: QueuedBallot): string {
  return JSON.stringify(ballot)
}

export function decodeEntry(entry: StreamEntry): QueuedBallot & { sequence: string } {
  return { ...(JSON.parse(entry.fields.v!) as QueuedBallot), sequence: entry.id }
}

function decodeLatest(value: string): QueuedBallot & { sequence: string } {
  const bar = value.indexOf('|')
  return { ...(JSON.parse(value.slice(bar + 1)) as QueuedBallot), sequence: value.slice(0, bar) }
}

// KEYS: state, ballots, stream, facts version, membership version. ARGV: expected facts version and
// expected membership version ('' = unchecked), n, then n × (unitId, payload). Returns {'ok', id1, ...},
// {'not_open'}, {'stale_facts', current version} or {'stale_membership'}.
const ACCEPT_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= 'open' then return {'not_open'} end
if ARGV[1] ~= '' then
  local current = redis.call('GET', KEYS[4]) or '0'
  if current ~= ARGV[1] then return {'stale_facts', current} end
end
if ARGV[2] ~= '' then
  local member = redis.call('GET', KEYS[5]) or '0'
  if member ~= ARGV[2] then return {'stale_membership'} end
end
local n = tonumber(ARGV[3])
local out = {'ok'}
for i = 0, n - 1 do
  local unit = ARGV[4 + i * 2]
  local payload = ARGV[5 + i * 2]
  local id = redis.call('XADD', KEYS[3], '*', 'v', payload)
  redis.call('HSET', KEYS[2], unit, id .. '|' .. payload)
  out[#out + 1] = id
end
return out
`

// KEYS: state, ballots. Returns the latest ballots; the state is 'closed' from here on. Both keys
// expire a week later: by then the result is in PostgreSQL, and a vote for a motion whose state has
// expired is refused after a look at the database (see reopenIfDatabaseSaysOpen).
const CLOSE_SCRIPT = `
redis.call('SET', KEYS[1], 'closed', 'EX', 604800)
redis.call('EXPIRE', KEYS[2], 604800)
return redis.call('HVALS', KEYS[2])
`

// KEYS: state. Opens unless already closed.
const OPEN_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == 'closed' then return 0 end
redis.call('SET', KEYS[1], 'open')
return 1
`

/**
 * Runs a Lua script by its SHA1 (EVALSHA: the script text is not sent with every vote), loading it
 * with EVAL when the server does not know it yet (first use, or after a restart or SCRIPT FLUSH).
 */
function scriptRunner(script: string) {
  const sha = new Bun.CryptoHasher('sha1').update(script).digest('hex')
  return async (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error
      return redis.eval(script, keys.length, ...keys, ...args)
    }
  }
}

const runAccept = scriptRunner(ACCEPT_SCRIPT)
const runOpen = scriptRunner(OPEN_SCRIPT)
/**
 * The close always ships its text (EVAL; once per motion): by its hash, a server that does not know it
 * yet answers NOSCRIPT and the close would run one round trip later, after accepts issued after it.
 * No accept issued after the close may run before it (accepts retried after a NOSCRIPT only arrive
 * later, so they are refused: always safe).
 */
const runClose = (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> =>
  redis.eval(CLOSE_SCRIPT, keys.length, ...keys, ...args)

/** The Redis implementation: Lua scripts make each step atomic against every other client. */
export function createRedisVoteQueue(redis: Redis, prefix = ''): VoteQueue {
  const k = (key: string) => prefix + key
  return {
    open: async (motionId) => (await runOpen(redis, [k(stateKey(motionId))], [])) === 1,
    accept: async (motionId, ballots, options) => {
      const args = ballots.flatMap((ballot) => [ballot.unitId, encodeBallot(ballot)])
      const facts = options?.facts
      const membership = options?.membership
      const reply = (await runAccept(
        redis,
        [
          k(stateKey(motionId)),
          k(ballotsKey(motionId)),
          k(VOTE_STREAM),
          k(facts?.key ?? VOTE_STREAM),
          k(membership?.key ?? VOTE_STREAM),
        ],
        [facts?.version ?? '', membership?.version ?? '', ballots.length, ...args],
      )) as string[]
      if (reply[0] === 'stale_facts') return { ok: false, reason: 'stale_facts', version: reply[1]! }
      if (reply[0] === 'stale_membership') return { ok: false, reason: 'stale_membership' }
      if (reply[0] !== 'ok') return { ok: false, reason: 'not_open' }
      return {
        ok: true,
        entries: ballots.map((ballot, i) => ({ unitId: ballot.unitId, sequence: reply[i + 1]! })),
      }
    },
    close: async (motionId) => {
      const values = (await runClose(redis, [k(stateKey(motionId)), k(ballotsKey(motionId))], [])) as string[]
      return values.map(decodeLatest)
    },
    state: async (motionId) => (await redis.get(k(stateKey(motionId)))) as 'open' | 'closed' | null,
    latest: async (motionId) => (await redis.hvals(k(ballotsKey(motionId)))).map(decodeLatest),
  }
}

/**
 * The in-process implementation for the embedded default: JavaScript runs one step at a time, so
 * each method is as atomic as the Lua scripts; the stream is the in-process bus's.
 */
export function createMemoryVoteQueue(bus: MemoryBus): VoteQueue {
  const states = new Map<string, 'open' | 'closed'>()
  const latestByMotion = new Map<string, Map<string, string>>()
  return {
    open: async (motionId) => {
      if (states.get(motionId) === 'closed') return false
      states.set(motionId, 'open')
      return true
    },
    accept: async (motionId, ballots, options) => {
      // No await from the check to the last append: nothing (a close, a change) can run in between.
      if (states.get(motionId) !== 'open') return { ok: false, reason: 'not_open' }
      if (options?.facts) {
        const current = bus.valueSync(options.facts.key) ?? '0'
        if (current !== options.facts.version) return { ok: false, reason: 'stale_facts', version: current }
      }
      if (options?.membership) {
        const member = bus.valueSync(options.membership.key) ?? '0'
        if (member !== options.membership.version) return { ok: false, reason: 'stale_membership' }
      }
      const latest = latestByMotion.get(motionId) ?? new Map<string, string>()
      latestByMotion.set(motionId, latest)
      const entries: AcceptedEntry[] = []
      for (const ballot of ballots) {
        const payload = encodeBallot(ballot)
        const id = bus.streamAddSync(VOTE_STREAM, { v: payload })
        latest.set(ballot.unitId, `${id}|${payload}`)
        entries.push({ unitId: ballot.unitId, sequence: id })
      }
      return { ok: true, entries }
    },
    close: async (motionId) => {
      states.set(motionId, 'closed')
      return [...(latestByMotion.get(motionId)?.values() ?? [])].map(decodeLatest)
    },
    state: async (motionId) => states.get(motionId) ?? null,
    latest: async (motionId) => [...(latestByMotion.get(motionId)?.values() ?? [])].map(decodeLatest),
  }
}

/** The queue matching the bus: Lua on Redis, synchronous steps in process. */
export function createVoteQueue(bus: Bus): VoteQueue {
  if (bus.kind === 'redis') {
    const redisBus = bus as RedisBus
    return createRedisVoteQueue(redisBus.client, redisBus.prefix)
  }
  // In process, every component must share one queue: its open/closed state lives in it.
  let queue = memoryQueues.get(bus)
  if (!queue) {
    queue = createMemoryVoteQueue(bus as MemoryBus)
    memoryQueues.set(bus, queue)
  }
  return queue
}

const memoryQueues = new WeakMap<Bus, VoteQueue>()
