import { randomToken } from '../auth/crypto.ts'
import { maxChoicesOf } from '../motions/ballot-schema.ts'
import type { Motion } from '../motions/types.ts'
import type { Action } from './actions.ts'
import { listUnits, t } from './i18n.ts'
import type { ChatChannel, ChatServices, ChatTurn, Choice, Reply } from './types.ts'
import {
  askConfirmation,
  type BallotPlan,
  choice,
  numbers,
  type OpenMotion,
  openMotionsOf,
  planBallot,
  promptFor,
} from './voting.ts'

/*
 * Ballots that do not fit one press: multiple-choice motions and elections (tick options, then
 * "Confirm"), and motions with more options than a WhatsApp list holds (pages of options, plus a
 * one-tap link to the web ballot). The selection lives in the bus (10 minutes), bound to the chat
 * and user that started it; every press reloads the open motion and the voter's units, and the
 * final "Confirm" goes through the same confirmation and vote service as a single choice.
 */

export const SELECTION_TTL_MS = 600_000
const selectionKey = (token: string) => `bots:vote:selection:${token}`

/** WhatsApp lists hold 10 rows: 7 options, "previous", "more" and "confirm". */
export const WHATSAPP_ROWS = 10
const WHATSAPP_OPTIONS_PER_PAGE = 7
/** WhatsApp's limit on an interactive message's body (whatsapp/render.ts cuts longer ones). */
const WHATSAPP_BODY = 1024

interface Selection {
  channel: ChatChannel
  chatId: string
  userId: string
  motionId: string
  /** Indexes into the motion's options, in the order ticked. */
  chosen: number[]
  page: number
}

/** Options shown per message on this channel (Telegram keyboards and the web chat take them all). */
function perPage(channel: ChatChannel, motion: Motion): number {
  if (channel !== 'whatsapp') return motion.options.length
  const rowsLeft = WHATSAPP_ROWS - (motion.choiceMode === 'multiple' ? 1 : 0)
  return motion.options.length <= rowsLeft ? motion.options.length : WHATSAPP_OPTIONS_PER_PAGE
}

/** Whether the motion's ballot needs ticking or pages on this channel (else one press per option). */
export function needsSelection(channel: ChatChannel, motion: Motion): boolean {
  return motion.choiceMode === 'multiple' || perPage(channel, motion) < motion.options.length
}

function voteUrl(deps: ChatServices, open: OpenMotion): string {
  const query = new URLSearchParams({
    organization: open.organizationId,
    assembly: open.motion.assemblyId,
  })
  return `${deps.config.publicUrl}/vote?${query}`
}

function render(
  deps: ChatServices,
  turn: ChatTurn,
  open: OpenMotion,
  plan: BallotPlan,
  token: string,
  selection: Selection,
): Reply {
  const lang = turn.language
  const { motion } = open
  const multiple = motion.choiceMode === 'multiple'
  const size = perPage(turn.channel, motion)
  const pages = Math.ceil(motion.options.length / size)
  const page = Math.min(Math.max(selection.page, 0), pages - 1)
  const from = page * size
  const shown = motion.options.slice(from, from + size)
  const units = listUnits(lang, numbers(plan.eligible))
  const chosenLabels = selection.chosen.map((index) => motion.options[index]?.label).filter(Boolean)
  const lines = [
    multiple
      ? t(lang, 'multiPrompt', {
          ph: open.phName,
          title: motion.title,
          units,
          max: String(maxChoicesOf(motion)),
          chosen: chosenLabels.length > 0 ? chosenLabels.join(', ') : t(lang, 'noneChosen'),
        })
      : t(lang, 'motionPrompt', { ph: open.phName, title: motion.title, units }),
  ]
  if (pages > 1) {
    const paging = t(lang, 'pageOf', {
      from: String(from + 1),
      to: String(from + shown.length),
      total: String(motion.options.length),
      url: voteUrl(deps, open),
    })
    // The link to the web ballot must survive WhatsApp's 1024-character body: shorten the prompt instead.
    const room = WHATSAPP_BODY - paging.length - 2
    if (lines[0]!.length > room) lines[0] = `${lines[0]!.slice(0, room)}…`
    lines.push(paging)
  }
  const choices: Choice[] = shown.map((option, offset) => {
    const index = from + offset
    if (!multiple) return choice(option.label, { kind: 'choose', motionId: motion.id, option: index })
    const mark = selection.chosen.includes(index) ? '✅' : '⬜'
    return choice(`${mark} ${option.label}`, { kind: 'toggle', token, option: index })
  })
  if (page > 0) choices.push(choice(t(lang, 'previousPage'), { kind: 'page', token, page: page - 1 }))
  if (page < pages - 1) choices.push(choice(t(lang, 'nextPage'), { kind: 'page', token, page: page + 1 }))
  if (multiple) {
    const submit: Action = { kind: 'submit', token }
    choices.push(choice(t(lang, 'confirmCount', { count: String(selection.chosen.length) }), submit))
  }
  return { text: lines.join('\n'), choices }
}

/** Starts a selection for the motion and shows its first page (nothing ticked). */
export async function startSelection(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  open: OpenMotion,
  plan: BallotPlan,
): Promise<Reply> {
  const token = randomToken(10)
  const selection: Selection = {
    channel: turn.channel,
    chatId: turn.chatId,
    userId: turn.userId,
    motionId: open.motion.id,
    chosen: [],
    page: 0,
  }
  await deps.bus.set(selectionKey(token), JSON.stringify(selection), SELECTION_TTL_MS)
  return render(deps, turn, open, plan, token, selection)
}

/** The selection behind a press, when it was started in this chat by this user and its motion is open. */
async function resume(deps: ChatServices, turn: ChatTurn & { userId: string }, token: string) {
  const raw = await deps.bus.get(selectionKey(token))
  const selection = raw ? (JSON.parse(raw) as Selection) : null
  if (
    !selection ||
    selection.channel !== turn.channel ||
    selection.chatId !== turn.chatId ||
    selection.userId !== turn.userId
  ) {
    return null
  }
  const open = (await openMotionsOf(deps, turn.userId)).find((o) => o.motion.id === selection.motionId)
  if (!open) return null
  return { selection, open, plan: await planBallot(deps, turn.userId, open) }
}

const save = (deps: ChatServices, token: string, selection: Selection) =>
  deps.bus.set(selectionKey(token), JSON.stringify(selection), SELECTION_TTL_MS)

/** Ticks or unticks an option (an abstention excludes the rest), within the motion's limit. */
export async function toggleOption(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  token: string,
  index: number,
): Promise<Reply[]> {
  const lang = turn.language
  const found = await resume(deps, turn, token)
  if (!found) return [{ text: t(lang, 'voteExpired') }]
  const { selection, open, plan } = found
  const { motion } = open
  if (plan.eligible.length === 0) return [await promptFor(deps, turn, open)]
  const option = motion.options[index]
  if (!option) return [render(deps, turn, open, plan, token, selection)]
  const replies: Reply[] = []
  if (selection.chosen.includes(index)) {
    selection.chosen = selection.chosen.filter((chosen) => chosen !== index)
  } else if (option.kind === 'abstain') {
    selection.chosen = [index]
  } else {
    const kept = selection.chosen.filter((chosen) => motion.options[chosen]?.kind !== 'abstain')
    const max = maxChoicesOf(motion)
    if (kept.length >= max) replies.push({ text: t(lang, 'tooManyChosen', { max: String(max) }) })
    else selection.chosen = [...kept, index]
  }
  await save(deps, token, selection)
  return [...replies, render(deps, turn, open, plan, token, selection)]
}

/** Shows another page of options, keeping what is ticked. */
export async function showPage(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  token: string,
  page: number,
): Promise<Reply[]> {
  const found = await resume(deps, turn, token)
  if (!found) return [{ text: t(turn.language, 'voteExpired') }]
  const { selection, open, plan } = found
  if (plan.eligible.length === 0) return [await promptFor(deps, turn, open)]
  selection.page = page
  await save(deps, token, selection)
  return [render(deps, turn, open, plan, token, selection)]
}

/** "Confirm (n)": the ticked options go to the usual confirmation (nothing is cast yet). */
export async function submitSelection(
  deps: ChatServices,
  turn: ChatTurn & { userId: string },
  token: string,
): Promise<Reply[]> {
  const lang = turn.language
  const found = await resume(deps, turn, token)
  if (!found) return [{ text: t(lang, 'voteExpired') }]
  const { selection, open, plan } = found
  if (plan.eligible.length === 0) return [await promptFor(deps, turn, open)]
  const chosen = selection.chosen.map((index) => open.motion.options[index]).filter((o) => o !== undefined)
  if (chosen.length === 0) {
    return [{ text: t(lang, 'chooseAtLeastOne') }, render(deps, turn, open, plan, token, selection)]
  }
  await deps.bus.del(selectionKey(token))
  return [await askConfirmation(deps, turn, open, plan, chosen)]
}
