import { selfCheckIn } from '../assemblies/attendance.ts'
import { acceptsAttendance } from '../assemblies/transitions.ts'
import { randomToken } from '../auth/crypto.ts'
import { resolveMembership } from '../auth/membership.ts'
import { AppError } from '../errors.ts'
import type { Motion } from '../motions/types.ts'
import { resolveVotableUnits, type VotableUnit } from '../motions/voting-facts.ts'
import type { MotionOption } from '../rules/types.ts'
import { type Action, encodeAction } from './actions.ts'
import { currentAssembly, listUserOrganizations, openMotions } from './directory.ts'
import { listUnits, t } from './i18n.ts'
import { needsSelection, startSelection } from './selection.ts'
import type { ChatServices, ChatTurn, Choice, Lang, Reply } from './types.ts'

/*
 * Voting from a chat: the same vote service as the web (core/votes/service.ts), preceded by an explicit
 * confirmation. Every step, including the final press, authorizes again from the chat's current link
 * and the live voting facts; the pending confirmation lives in the bus for two minutes, single use.
 */

export const CONFIRM_TTL_MS = 120_000
const pendingKey = (token: string) => `bots:vote:pending:${token}`

interface PendingVote {
  channel: ChatTurn['channel']
  chatId: string
  userId: string
  organizationId: string
  motionId: string
  optionKeys: string[]
  unitIds: string[]
}

export interface OpenMotion {
  organizationId: string
  phName: string
  motion: Motion
}

/** Who may vote what on a motion right now, as the vote service will judge it. */
export interface BallotPlan {
  personId: string | null
  /** Units the person represents (owner without a proxy in effect, or proxy holder). */
  units: VotableUnit[]
  /** The ones whose ballot the service would accept now (present, and up to date when required). */
  eligible: VotableUnit[]
}

export async function openMotionsOf(deps: ChatServices, userId: string): Promise<OpenMotion[]> {
  const found: OpenMotion[] = []
  for (const org of await listUserOrganizations(deps.db, userId)) {
    for (const motion of await openMotions(deps.db, org.organizationId)) {
      found.push({ organizationId: org.organizationId, phName: org.name, motion })
    }
  }
  return found
}

export async function planBallot(deps: ChatServices, userId: string, open: OpenMotion): Promise<BallotPlan> {
  const { organizationId, motion } = open
  // The same person the web vote uses (functions/…/votes.post.ts): the user's first person in the PH.
  const personId = (await resolveMembership(deps.db, userId, organizationId)).personIds[0] ?? null
  if (!personId) return { personId, units: [], eligible: [] }
  const units = await resolveVotableUnits(deps.db, {
    organizationId,
    assemblyId: motion.assemblyId,
    personId,
  })
  const eligible = units.filter(
    (unit) => unit.present && (unit.upToDate || !motion.majorityRule.eligibleOnly),
  )
  return { personId, units, eligible }
}

export const numbers = (units: readonly VotableUnit[]) => units.map((unit) => unit.number)
export const choice = (label: string, action: Action): Choice => ({ id: encodeAction(action), label })

/** The prompt of one motion: its options as buttons, or why the person cannot vote it yet. */
export async function promptFor(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  open: OpenMotion,
): Promise<Reply> {
  const lang = turn.language
  const { motion } = open
  const plan = await planBallot(deps, turn.userId, open)
  if (plan.units.length === 0) return { text: t(lang, 'cannotVote', { title: motion.title }) }
  if (plan.eligible.length === 0) {
    return {
      text: t(lang, 'mustCheckIn', { title: motion.title, units: listUnits(lang, numbers(plan.units)) }),
      choices: [choice(t(lang, 'checkInButton'), { kind: 'checkin', assemblyId: motion.assemblyId })],
    }
  }
  if (needsSelection(turn.channel, motion)) return startSelection(deps, turn, open, plan)
  return {
    text: t(lang, 'motionPrompt', {
      ph: open.phName,
      title: motion.title,
      units: listUnits(lang, numbers(plan.eligible)),
    }),
    choices: motion.options.map((option, index) =>
      choice(option.label, { kind: 'choose', motionId: motion.id, option: index }),
    ),
  }
}

/** "Vote": the open motion's options, a choice of motion when several are open, or why not. */
export async function startVote(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  motionId?: string,
): Promise<Reply[]> {
  const lang = turn.language
  const open = (await openMotionsOf(deps, turn.userId)).filter((o) => !motionId || o.motion.id === motionId)
  if (open.length === 0) return [{ text: t(lang, 'noOpenMotion') }]
  if (open.length > 1) {
    return [
      {
        text: t(lang, 'pickMotion'),
        choices: open.map((o) => choice(o.motion.title, { kind: 'pick', motionId: o.motion.id })),
      },
    ]
  }
  return [await promptFor(deps, turn, open[0]!)]
}

/** An option was pressed: re-authorizes and asks for confirmation (nothing is cast yet). */
export async function chooseOption(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  motionId: string,
  optionIndex: number,
): Promise<Reply[]> {
  const lang = turn.language
  const open = (await openMotionsOf(deps, turn.userId)).find((o) => o.motion.id === motionId)
  const option = open?.motion.options[optionIndex]
  if (!open || !option) return [{ text: t(lang, 'noOpenMotion') }]
  if (open.motion.choiceMode !== 'single') return [await promptFor(deps, turn, open)]
  const plan = await planBallot(deps, turn.userId, open)
  if (plan.eligible.length === 0) return [await promptFor(deps, turn, open)]
  return [await askConfirmation(deps, turn, open, plan, [option])]
}

/** Stores the pending vote (2 minutes, single use) and asks to confirm the chosen options. */
export async function askConfirmation(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  open: OpenMotion,
  plan: BallotPlan,
  chosen: readonly MotionOption[],
): Promise<Reply> {
  const lang = turn.language
  const token = randomToken(10)
  const pending: PendingVote = {
    channel: turn.channel,
    chatId: turn.chatId,
    userId: turn.userId,
    organizationId: open.organizationId,
    motionId: open.motion.id,
    optionKeys: chosen.map((option) => option.key),
    unitIds: plan.eligible.map((unit) => unit.unitId),
  }
  await deps.bus.set(pendingKey(token), JSON.stringify(pending), CONFIRM_TTL_MS)
  return {
    text: t(lang, 'confirmPrompt', {
      option: chosen.map((option) => option.label).join(', '),
      title: open.motion.title,
      units: listUnits(lang, numbers(plan.eligible)),
    }),
    choices: [
      choice(t(lang, 'confirm'), { kind: 'confirm', token }),
      choice(t(lang, 'cancel'), { kind: 'cancel', token }),
    ],
  }
}

/** Why the vote service refused, in words. */
function refusalReason(lang: Lang, error: AppError): string {
  if (error.code === 'motion_not_open') return t(lang, 'reasonClosed')
  if (error.code === 'assembly_not_in_progress') return t(lang, 'reasonNotInProgress')
  if (error.code === 'voter_unknown') return t(lang, 'reasonNotAuthorized')
  if (error.code === 'ballots_rejected') {
    const codes = ((error.details as { rejected?: { code: string }[] })?.rejected ?? []).map((r) => r.code)
    if (codes.includes('not_present')) return t(lang, 'reasonNotPresent')
    return t(lang, 'reasonNotAuthorized')
  }
  return t(lang, 'reasonOther', { code: error.code })
}

/**
 * "Confirm": takes the pending vote (single use), checks it was asked in this chat by this user,
 * authorizes again and casts through the vote service. The reply carries one receipt per unit.
 */
export async function confirmVote(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  token: string,
): Promise<Reply[]> {
  const lang = turn.language
  const raw = await deps.bus.take(pendingKey(token))
  const pending = raw ? (JSON.parse(raw) as PendingVote) : null
  const sameChat =
    pending?.channel === turn.channel && pending.chatId === turn.chatId && pending.userId === turn.userId
  if (!pending || !sameChat) return [{ text: t(lang, 'voteExpired') }]
  const open = (await openMotionsOf(deps, turn.userId)).find((o) => o.motion.id === pending.motionId)
  if (!open) return [{ text: t(lang, 'voteRefused', { reason: t(lang, 'reasonClosed') }) }]
  const plan = await planBallot(deps, turn.userId, open)
  const unitIds = pending.unitIds.filter((id) => plan.eligible.some((unit) => unit.unitId === id))
  if (!plan.personId || unitIds.length === 0) {
    return [{ text: t(lang, 'voteRefused', { reason: t(lang, 'reasonNotAuthorized') }) }]
  }
  try {
    const accepted = await deps.votes.cast({
      organizationId: pending.organizationId,
      motionId: pending.motionId,
      ballots: unitIds.map((unitId) => ({ unitId, optionKeys: pending.optionKeys })),
      actor: { userId: turn.userId, personId: plan.personId },
      channel: turn.channel,
    })
    const receipts = accepted.votes
      .map((vote) => t(lang, 'receiptLine', { unit: vote.unitNumber, code: vote.receiptCode }))
      .join('\n')
    deps.log.info('chat vote accepted', {
      channel: turn.channel,
      motionId: pending.motionId,
      ballots: accepted.votes.length,
    })
    return [{ text: t(lang, 'voteAccepted', { title: open.motion.title, receipts }) }]
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return [{ text: t(lang, 'voteRefused', { reason: refusalReason(lang, error) }) }]
  }
}

/** "Cancel": forgets the pending vote. */
export async function cancelVote(deps: ChatServices, turn: ChatTurn, token: string): Promise<Reply[]> {
  await deps.bus.del(pendingKey(token))
  return [{ text: t(turn.language, 'voteCancelled') }]
}

/**
 * Remote self check-in for every unit the user represents, in the assembly given (a button) or in
 * each PH's current assembly taking attendance (the check-in announces itself).
 */
export async function checkInRemotely(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  assemblyId?: string,
): Promise<Reply[]> {
  const lang = turn.language
  const replies: Reply[] = []
  for (const org of await listUserOrganizations(deps.db, turn.userId)) {
    const assembly = await currentAssembly(deps.db, org.organizationId)
    if (!assembly || !acceptsAttendance(assembly.status)) continue
    if (assemblyId && assembly.id !== assemblyId) continue
    const scope = { organizationId: org.organizationId, assemblyId: assembly.id }
    try {
      const result = await selfCheckIn(
        deps.db,
        { ...scope, mode: 'remote', actor: { userId: turn.userId } },
        { changes: deps.changes, log: deps.log },
      )
      const units = [...result.checkedIn, ...result.alreadyPresent].map((record) => record.unitNumber)
      replies.push({ text: t(lang, 'checkedIn', { title: assembly.title, units: listUnits(lang, units) }) })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      const reason =
        error.code === 'mode_not_allowed'
          ? t(lang, 'checkInRemoteNotAllowed')
          : error.code === 'already_checked_in'
            ? t(lang, 'alreadyPresent')
            : error.message
      replies.push({ text: t(lang, 'checkInRefused', { reason }) })
    }
  }
  return replies.length > 0 ? replies : [{ text: t(lang, 'checkInNone') }]
}
