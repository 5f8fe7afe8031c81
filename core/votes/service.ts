import type { Database } from '../../db/client.ts'
import { withTenant } from '../../db/tenant.ts'
import type { Bus } from '../bus/types.ts'
import type { ChangeNotifier } from '../changes/notifier.ts'
import { votingFactsVersion, votingFactsVersionKey } from '../changes/versions.ts'
import { formatCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { acceptAllOrThrow, type CastVotesInput, voterOf } from '../motions/ballot-request.ts'
import { evaluateBallots, type VoterRole } from '../motions/eligibility.ts'
import { openMotion, readMotion } from '../motions/motions.ts'
import { createReceiptCode, hashReceipt } from '../motions/receipts.ts'
import { closeMotion } from '../motions/results.ts'
import type { Actor, Motion, VoteChannel } from '../motions/types.ts'
import { type AssemblyFacts, createVotingFactsCache } from './facts-cache.ts'
import type { AcceptOptions, QueuedBallot, VoteQueue } from './queue.ts'
import { upsertBallots } from './writer.ts'

export { markVotingFactsChanged } from '../changes/versions.ts'
export { MAX_BALLOTS_PER_REQUEST } from '../motions/ballot-request.ts'

export interface FastVote {
  unitId: string
  unitNumber: string
  role: VoterRole
  proxyId: string | null
  /** Shown to the voter once; only its hash is stored and listed publicly. */
  receiptCode: string
  receiptHash: string
  sequence: string
}

/**
 * The vote service, the one path every ballot takes (web, API, bots, desk): authorization from a
 * per-process cache of the assembly's voting facts (invalidated through a version counter in the bus),
 * the pure rules of core/motions/eligibility.ts, and the atomic accept step of the queue. The caller
 * gets receipts at once; the batch writer commits to PostgreSQL shortly after.
 */
/**
 * The voter's membership moved after the caller read it (AcceptOptions.membership): nothing was
 * accepted; read the membership again and cast again (castAsMember does).
 */
export class StaleMembership extends Error {
  constructor() {
    super('The membership the vote rests on has changed')
  }
}

export function createVoteService(deps: {
  db: Database
  bus: Bus
  queue: VoteQueue
  log: Logger
  /** Called with the number of ballots accepted (metrics). */
  onAccepted?: (count: number, channel: VoteChannel) => void
  /** Told when a motion opens or closes (the services container passes the process's port). */
  changes?: ChangeNotifier
}) {
  const { db, bus, queue } = deps
  const facts = createVotingFactsCache({ db, bus })
  const motionsById = new Map<string, Motion>()

  async function motionOf(organizationId: string, motionId: string): Promise<Motion> {
    const cached = motionsById.get(motionId)
    if (cached && cached.organizationId === organizationId) return cached
    const { motion } = await withTenant(db, organizationId, (tx) =>
      readMotion(tx, { organizationId, motionId }),
    )
    // Options and rules are frozen once a motion is open; its open/closed state lives in the queue.
    if (motion.status !== 'draft') motionsById.set(motionId, motion)
    return motion
  }

  /** The queue lost its state (e.g. the embedded default restarted) while the database says open. */
  async function reopenIfDatabaseSaysOpen(organizationId: string, motionId: string): Promise<boolean> {
    if ((await queue.state(motionId)) !== null) return false
    const { motion } = await withTenant(db, organizationId, (tx) =>
      readMotion(tx, { organizationId, motionId }),
    )
    return motion.status === 'open' && (await queue.open(motionId))
  }

  const announceMotion = (organizationId: string, motion: Motion) =>
    deps.changes?.announce({ organizationId, assemblyId: motion.assemblyId, kinds: ['motion'] })

  return {
    /** The cache of voting facts this service decides on (read by tests and the reload benchmark). */
    facts,

    /**
     * Accepts one ballot per unit for the acting person. All or nothing: any refused
     * ballot refuses the request with the reason per unit. Errors: 422 no_ballots / too_many_ballots,
     * 403 voter_unknown, 404 not_found, 409 motion_not_open / assembly_not_in_progress, 403/409/422
     * ballots_rejected.
     */
    async cast(
      input: CastVotesInput & Pick<AcceptOptions, 'membership'>,
    ): Promise<{ motionId: string; votes: FastVote[] }> {
      const { organizationId, motionId, ballots, actor, channel } = input
      const personId = voterOf(ballots, actor)
      const now = input.now ?? new Date()
      const motion = await motionOf(organizationId, motionId)
      const decideOn = (assembly: AssemblyFacts) => {
        if (assembly.assemblyStatus !== 'in_progress') {
          throw new AppError(
            409,
            'assembly_not_in_progress',
            `The assembly is ${assembly.assemblyStatus}, not in progress`,
          )
        }
        // The queue is the authority on open/closed; here the motion is evaluated as open.
        const accepted = acceptAllOrThrow(
          evaluateBallots({
            motion: { ...motion, status: 'open', assemblyStatus: assembly.assemblyStatus },
            personId,
            ballots,
            units: assembly.units,
            now,
          }),
        )
        const receipts = accepted.map(() => createReceiptCode())
        const queued: QueuedBallot[] = accepted.map((ballot, index) => ({
          organizationId,
          assemblyId: motion.assemblyId,
          motionId,
          unitId: ballot.unit.unitId,
          optionKeys: ballot.optionKeys,
          weight: formatCoefficient(ballot.unit.coefficient),
          upToDate: ballot.unit.upToDate,
          channel,
          castByUserId: actor.userId,
          castByPersonId: personId,
          proxyId: ballot.proxyId,
          receipt: hashReceipt(motionId, receipts[index]!),
          castAt: now.getTime(),
        }))
        return { version: assembly.version, accepted, receipts, queued }
      }
      const decideAt = async (version: string) =>
        decideOn(await facts.at(organizationId, motion.assemblyId, version))

      // Cached facts are trusted without reading their version first: a refusal is confirmed against
      // the current version (the cache may predate the change that allows the vote), and an acceptance
      // is checked atomically by the queue, which answers `stale_facts` when the facts moved.
      let decision: ReturnType<typeof decideOn>
      const cached = await facts.cached(organizationId, motion.assemblyId)
      try {
        decision = decideOn(cached)
      } catch (error) {
        const current = await votingFactsVersion(bus, organizationId)
        if (current === cached.version) throw error
        decision = await decideAt(current)
      }
      const factsKey = votingFactsVersionKey(organizationId)
      const accept = () =>
        queue.accept(motionId, decision.queued, {
          facts: { key: factsKey, version: decision.version },
          membership: input.membership,
        })
      let result = await accept()
      // Facts changed in the meantime: decide again on the current ones (check-ins keep bumping the
      // version during a meeting; a few rounds at most).
      for (let round = 0; !result.ok && result.reason === 'stale_facts' && round < 5; round++) {
        decision = await decideAt(result.version)
        result = await accept()
      }
      if (
        !result.ok &&
        result.reason === 'not_open' &&
        (await reopenIfDatabaseSaysOpen(organizationId, motionId))
      ) {
        result = await accept()
      }
      if (!result.ok && result.reason === 'stale_facts') {
        throw new AppError(503, 'facts_changing', 'The assembly is changing too fast; try again', undefined, {
          'Retry-After': '1',
        })
      }
      if (!result.ok && result.reason === 'stale_membership') throw new StaleMembership()
      if (!result.ok) throw new AppError(409, 'motion_not_open', 'The motion is not open for voting')
      const { accepted, receipts, queued } = decision
      deps.onAccepted?.(accepted.length, channel)
      return {
        motionId,
        votes: accepted.map((ballot, index) => ({
          unitId: ballot.unit.unitId,
          unitNumber: ballot.unit.number,
          role: ballot.role,
          proxyId: ballot.proxyId,
          receiptCode: receipts[index]!,
          receiptHash: queued[index]!.receipt,
          sequence: result.ok ? result.entries[index]!.sequence : '',
        })),
      }
    },

    /** Units whose ballots on the motion were accepted (committed or still queued); never the choices. */
    /** The latest accepted ballot of each unit still known to the queue (committed or not). */
    latestBallots(motionId: string): Promise<{ unitId: string; optionKeys: string[]; weight: string }[]> {
      return queue.latest(motionId)
    },

    async votedUnitIds(motionId: string): Promise<string[]> {
      return (await queue.latest(motionId)).map((ballot) => ballot.unitId)
    },

    /** Opens the motion in the database (quorum gate) and then for ballots in the queue. */
    async open(input: { organizationId: string; motionId: string; actor: Actor }) {
      // A motion closed once stays closed in the queue; refuse before the database says open.
      if ((await queue.state(input.motionId)) === 'closed') {
        throw new AppError(409, 'motion_already_closed', 'The motion was already closed')
      }
      const opened = await openMotion(db, input)
      if (!(await queue.open(input.motionId))) {
        throw new AppError(409, 'motion_already_closed', 'The motion was closed while opening')
      }
      motionsById.set(input.motionId, opened.motion)
      await announceMotion(input.organizationId, opened.motion)
      return opened
    },

    /**
     * Closes the motion: first atomically in the queue (no ballot accepted after this), then commits the
     * latest ballot of every unit (idempotent with the writer), then closes and snapshots it in the
     * database, where the result is computed from the committed votes.
     */
    async close(input: { organizationId: string; motionId: string; actor: Actor }) {
      // Check ownership and state first: the queue is keyed by motion id alone, and must never be
      // closed for another PH's motion or for a draft (that would refuse every later vote).
      const { motion } = await withTenant(db, input.organizationId, (tx) => readMotion(tx, input))
      if (motion.status === 'draft') throw new AppError(409, 'motion_not_open', 'The motion was never opened')
      if (motion.status === 'closed') {
        throw new AppError(409, 'motion_already_closed', 'The motion is already closed')
      }
      const latest = await queue.close(input.motionId)
      await upsertBallots(db, latest)
      motionsById.delete(input.motionId)
      const closed = await closeMotion(db, input)
      await announceMotion(input.organizationId, closed.motion)
      return closed
    },
  }
}

export type VoteService = ReturnType<typeof createVoteService>
