import { Elysia, t } from 'elysia'
import { formatCoefficient } from '../../core/decimal.ts'
import { AppError } from '../../core/errors.ts'
import { evaluateBallots, motionRefusal, refusalStatus } from '../../core/motions/eligibility.ts'
import { readMotion } from '../../core/motions/motions.ts'
import { createReceiptCode, hashReceipt } from '../../core/motions/receipts.ts'
import { loadUnitVotingFacts } from '../../core/motions/voting-facts.ts'
import { runProcess } from '../../core/process.ts'
import { processServices } from '../../core/services.ts'
import { COMMITTED_CHANNEL, replaceVote } from '../../core/votes/writer.ts'
import { votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { createApp } from '../../functions/_lib/app.ts'
import { auth } from '../../functions/_lib/auth.ts'
import { loadRoutes } from '../../functions/_router.ts'
import { functionsDir } from '../../functions/_server.ts'

const Uuid = t.String({ format: 'uuid' })

let counter = 0
/** Same shape as a stream id (`<ms>-<n>`), increasing within this process: the newest vote wins. */
const nextSequence = () => `${Date.now()}-${counter++}`

const naiveVote = new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, membership }) => {
    const { organizationId, motionId } = params
    const personId = membership?.personIds[0] ?? null
    if (!personId) throw new AppError(403, 'voter_unknown', 'Only an owner or a proxy holder can vote')
    const now = new Date()
    const result = await withTenant(s.db, organizationId, async (tx) => {
      const { motion, assemblyStatus } = await readMotion(tx, { organizationId, motionId })
      const refusal = motionRefusal({ ...motion, assemblyStatus })
      if (refusal) throw new AppError(refusal.status, refusal.code, refusal.message)
      const units = await loadUnitVotingFacts(tx, {
        organizationId,
        assemblyId: motion.assemblyId,
        unitIds: body.ballots.map((ballot) => ballot.unitId),
      })
      const { accepted, refused } = evaluateBallots({
        motion: { ...motion, assemblyStatus },
        personId,
        ballots: body.ballots,
        units,
        now,
      })
      if (refused.length > 0) {
        throw new AppError(refusalStatus(refused), 'ballots_rejected', 'Ballots refused, none stored', {
          rejected: refused,
        })
      }
      const receipts = accepted.map(() => createReceiptCode())
      const rows = accepted.map((ballot, index) => ({
        motionId,
        unitId: ballot.unit.unitId,
        organizationId,
        optionKeys: ballot.optionKeys,
        weight: formatCoefficient(ballot.unit.coefficient),
        upToDate: ballot.unit.upToDate,
        channel: 'web' as const,
        castByUserId: user.id,
        castByPersonId: personId,
        proxyId: ballot.proxyId,
        receipt: hashReceipt(motionId, receipts[index]!),
        sequence: nextSequence(),
        castAt: now,
      }))
      await tx
        .insert(votes)
        .values(rows)
        .onConflictDoUpdate({
          target: [votes.motionId, votes.unitId],
          set: replaceVote,
        })
      return {
        assemblyId: motion.assemblyId,
        votes: accepted.map((ballot, index) => ({
          unitId: ballot.unit.unitId,
          unitNumber: ballot.unit.number,
          role: ballot.role,
          proxyId: ballot.proxyId,
          receiptCode: receipts[index]!,
          receiptHash: rows[index]!.receipt,
          sequence: rows[index]!.sequence,
        })),
      }
    })
    await s.bus.publish(
      COMMITTED_CHANNEL,
      JSON.stringify({ motionIds: [motionId], assemblyIds: [result.assemblyId] }),
    )
    return { motionId, votes: result.votes }
  },
  {
    auth: 'member',
    params: t.Object({ organizationId: Uuid, motionId: Uuid }),
    body: t.Object(
      {
        ballots: t.Array(
          t.Object({ unitId: Uuid, optionKeys: t.Array(t.String({ maxLength: 64 }), { maxItems: 20 }) }),
          { minItems: 1, maxItems: 500 },
        ),
      },
      { additionalProperties: false },
    ),
  },
)

await runProcess('bench-naive', async (context) => {
  const { config } = context
  const services = processServices(context)
  const routes = [
    ...(await loadRoutes(functionsDir, ['health.get.ts'])),
    {
      file: 'ops/bench/naive-server.ts',
      method: 'POST' as const,
      path: '/organizations/:organizationId/motions/:motionId/votes',
      handler: naiveVote,
    },
  ]
  const app = createApp({ services, routes })
  app.listen({ port: config.functionsPort, hostname: config.host })
  return () => app.stop(true)
})
