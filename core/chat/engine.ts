import {
  type AccountResult,
  finishEmailLink,
  linkWithCode,
  setLanguage,
  setMuted,
  startEmailLink,
  unlinkThisChat,
} from './account.ts'
import { type Action, encodeAction, type MenuIntent } from './actions.ts'
import { t } from './i18n.ts'
import {
  describeAgenda,
  describeAssemblies,
  describeProxies,
  describeQuorum,
  describeReceipt,
} from './info.ts'
import { type Intent, PUBLIC_INTENTS } from './intents.ts'
import { askToLeave, leaveMeeting } from './leave.ts'
import { showPage, submitSelection, toggleOption } from './selection.ts'
import type { ChatServices, ChatState, ChatTurn, Lang, Reply } from './types.ts'
import { cancelVote, checkInRemotely, chooseOption, confirmVote, startVote } from './voting.ts'

/*
 * The one place that answers intents, for every channel: channels turn their protocol into an Intent
 * and a ChatTurn, and render the Replies. Private intents need a user (a linked chat, or the signed-in
 * web user); an unlinked chat gets the public answers and how to link.
 */

export interface TurnResult {
  replies: Reply[]
  state: ChatState
  /** The user after the turn (a link made in this turn sets it). */
  userId: string | null
  language: Lang
}

type LinkedTurn = ChatTurn & { userId: string }

const MENU: Record<MenuIntent, Intent> = {
  assemblies: { kind: 'assemblies' },
  agenda: { kind: 'agenda' },
  quorum: { kind: 'quorum' },
  vote: { kind: 'vote' },
  how_to_vote: { kind: 'how_to_vote' },
  proxies: { kind: 'proxies' },
  checkin: { kind: 'checkin' },
  help: { kind: 'help' },
}

/** The main menu as buttons: what a linked person most often wants. */
export function menuChoices(lang: Lang) {
  const label = (es: string, en: string) => (lang === 'es' ? es : en)
  return [
    { id: encodeAction({ kind: 'menu', intent: 'vote' }), label: label('Votar', 'Vote') },
    { id: encodeAction({ kind: 'menu', intent: 'agenda' }), label: label('Agenda', 'Agenda') },
    { id: encodeAction({ kind: 'menu', intent: 'quorum' }), label: label('Quórum', 'Quorum') },
  ]
}

/** A menu button asks for a plain intent; every other button acts on a motion or vote and is private. */
function unwrapMenu(intent: Intent): Intent {
  return intent.kind === 'action' && intent.action.kind === 'menu' ? MENU[intent.action.intent] : intent
}

async function answerAction(deps: ChatServices, turn: LinkedTurn, action: Action): Promise<Reply[]> {
  switch (action.kind) {
    case 'pick':
      return startVote(deps, turn, action.motionId)
    case 'choose':
      return chooseOption(deps, turn, action.motionId, action.option)
    case 'confirm':
      return confirmVote(deps, turn, action.token)
    case 'cancel':
      return cancelVote(deps, turn, action.token)
    case 'toggle':
      return toggleOption(deps, turn, action.token, action.option)
    case 'page':
      return showPage(deps, turn, action.token, action.page)
    case 'submit':
      return submitSelection(deps, turn, action.token)
    case 'checkin':
      return checkInRemotely(deps, turn, action.assemblyId)
    case 'leave':
      return leaveMeeting(deps, turn, action.assemblyId)
    case 'menu':
      return answerPrivate(deps, turn, MENU[action.intent])
  }
}

async function answerPrivate(deps: ChatServices, turn: LinkedTurn, intent: Intent): Promise<Reply[]> {
  const lang = turn.language
  switch (intent.kind) {
    case 'assemblies':
      return describeAssemblies(deps, turn.userId, lang)
    case 'agenda':
      return describeAgenda(deps, turn.userId, lang)
    case 'quorum':
      return describeQuorum(deps, turn.userId, lang)
    case 'proxies':
      return describeProxies(deps, turn.userId, lang)
    case 'receipt':
      return describeReceipt(deps, turn.userId, lang, intent.code)
    case 'vote':
      return startVote(deps, turn)
    case 'checkin':
      return checkInRemotely(deps, turn)
    case 'leave':
      return askToLeave(deps, turn)
    case 'unlink':
      return unlinkThisChat(deps, turn)
    case 'mute':
      return setMuted(deps, turn, true)
    case 'unmute':
      return setMuted(deps, turn, false)
    case 'action':
      return answerAction(deps, turn, intent.action)
    default:
      return answerPublic(turn, intent)
  }
}

function answerPublic(turn: ChatTurn, intent: Intent): Reply[] {
  const lang = turn.language
  switch (intent.kind) {
    case 'about':
      return [{ text: t(lang, 'about') }]
    case 'how_to_vote':
      return [{ text: t(lang, 'howToVote') }]
    case 'unknown':
      return [{ text: turn.userId ? t(lang, 'unknown') : t(lang, 'needLink') }]
    default:
      if (!turn.userId) return [{ text: `${t(lang, 'about')}\n\n${t(lang, 'helpPublic')}` }]
      return [{ text: t(lang, 'help'), choices: menuChoices(lang) }]
  }
}

function fromAccount(turn: ChatTurn, result: AccountResult): TurnResult {
  return {
    replies: result.replies,
    state: result.state,
    userId: result.userId ?? turn.userId,
    language: result.language ?? turn.language,
  }
}

/**
 * Answers one message or button press. Never throws for expected refusals (they become replies);
 * unexpected errors propagate to the channel's error boundary.
 */
export async function answer(deps: ChatServices, turn: ChatTurn, asked: Intent): Promise<TurnResult> {
  const intent = unwrapMenu(asked)
  const done = (replies: Reply[]): TurnResult => ({
    replies,
    state: turn.state,
    userId: turn.userId,
    language: turn.language,
  })
  switch (intent.kind) {
    case 'link_code':
      return fromAccount(turn, await linkWithCode(deps, turn, intent.code))
    case 'link_email':
      return fromAccount(turn, await startEmailLink(deps, turn, intent.email))
    case 'link_otp':
      return fromAccount(turn, await finishEmailLink(deps, turn, intent.code))
    case 'language':
      return fromAccount(turn, await setLanguage(deps, turn, intent.language))
  }
  if (intent.kind !== 'action' && PUBLIC_INTENTS.has(intent.kind)) return done(answerPublic(turn, intent))
  if (!turn.userId) return done([{ text: t(turn.language, 'needLink') }])
  return done(await answerPrivate(deps, { ...turn, userId: turn.userId }, intent))
}
