import { normalizeEmail, requestOtp, verifyOtp } from '../auth/otp.ts'
import { createRateLimiter } from '../auth/rate-limit.ts'
import { AppError } from '../errors.ts'
import { userEmail } from './directory.ts'
import { t } from './i18n.ts'
import { consumeLinkCode } from './link-codes.ts'
import { linkChat, unlinkChat, updateChatLink } from './links.ts'
import type { ChatServices, ChatState, ChatTurn, Lang, Reply } from './types.ts'

/*
 * Linking a chat to a user (a one-time code from the web, or an email code proven inside the chat),
 * unlinking, muting and the reply language. Only Telegram and WhatsApp chats are linked; the web chat
 * speaks for the signed-in user.
 */

export interface AccountResult {
  replies: Reply[]
  state: ChatState
  /** Set when the chat was linked in this turn: later replies of the turn speak to this user. */
  userId?: string
  language?: Lang
}

/** Wrong codes per chat before it must wait: codes have 40 bits, tries are few. */
const LINK_TRIES = { limit: 10, windowMs: 15 * 60_000 }

function linkedChannel(turn: ChatTurn) {
  return turn.channel === 'webchat' ? null : turn.channel
}

function tooMany(lang: Lang, error: unknown): Reply[] | null {
  if (!(error instanceof AppError) || error.status !== 429) return null
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60
  return [{ text: t(lang, 'tooMany', { seconds }) }]
}

async function linked(deps: ChatServices, turn: ChatTurn, userId: string, via: 'code' | 'email') {
  const channel = linkedChannel(turn)!
  await linkChat(deps.db, {
    channel,
    chatId: turn.chatId,
    externalUserId: turn.externalUserId,
    userId,
    via,
    language: turn.language,
  })
  const email = (await userEmail(deps.db, userId)) ?? ''
  return {
    replies: [{ text: t(turn.language, 'linked', { email }) }],
    state: {},
    userId,
    language: turn.language,
  }
}

/** Links the chat with a one-time code from the web. */
export async function linkWithCode(deps: ChatServices, turn: ChatTurn, code: string): Promise<AccountResult> {
  const lang = turn.language
  if (!linkedChannel(turn)) return { replies: [{ text: t(lang, 'webOnly') }], state: turn.state }
  const limiter = createRateLimiter(deps.bus, { name: 'chat-link-tries', ...LINK_TRIES })
  const verdict = await limiter.hit(`${turn.channel}:${turn.chatId}`)
  if (!verdict.allowed) {
    return {
      replies: [{ text: t(lang, 'tooMany', { seconds: verdict.retryAfterSeconds }) }],
      state: turn.state,
    }
  }
  const userId = await consumeLinkCode(deps.db, code)
  if (!userId) return { replies: [{ text: t(lang, 'linkCodeInvalid') }], state: turn.state }
  await limiter.reset(`${turn.channel}:${turn.chatId}`)
  return linked(deps, turn, userId, 'code')
}

/** Sends an email code (the sign-in flow of the web, same limits) and waits for it in this chat. */
export async function startEmailLink(
  deps: ChatServices,
  turn: ChatTurn,
  email: string,
): Promise<AccountResult> {
  const lang = turn.language
  if (!linkedChannel(turn)) return { replies: [{ text: t(lang, 'webOnly') }], state: turn.state }
  try {
    const { attempt, expiresInSeconds } = await requestOtp(
      {
        db: deps.db,
        mailer: deps.mailer,
        auth: deps.config.auth,
        log: deps.log,
        limiters: deps.limiters,
      },
      // The chat stands where the web has the client address: its requests are limited together.
      { email, ip: `${turn.channel}:${turn.chatId}`, language: lang },
    )
    const minutes = Math.round(expiresInSeconds / 60)
    return {
      replies: [{ text: t(lang, 'emailSent', { email: normalizeEmail(email), minutes }) }],
      state: { ...turn.state, otp: { email: normalizeEmail(email), attempt } },
    }
  } catch (error) {
    const limited = tooMany(lang, error)
    if (limited) return { replies: limited, state: turn.state }
    throw error
  }
}

/** Checks the 6 digits against the code requested from this chat; links on success. */
export async function finishEmailLink(
  deps: ChatServices,
  turn: ChatTurn,
  code: string,
): Promise<AccountResult> {
  const lang = turn.language
  const otp = turn.state.otp
  if (!linkedChannel(turn) || !otp) return { replies: [{ text: t(lang, 'otpExpired') }], state: turn.state }
  try {
    const { userId } = await verifyOtp(
      { db: deps.db, auth: deps.config.auth, limiters: deps.limiters },
      { email: otp.email, attempt: otp.attempt, code, ip: `${turn.channel}:${turn.chatId}` },
    )
    return linked(deps, turn, userId, 'email')
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const limited = tooMany(lang, error)
    if (limited) return { replies: limited, state: turn.state }
    if (error.code === 'invalid_code' && error.details) {
      return { replies: [{ text: t(lang, 'otpInvalid') }], state: turn.state }
    }
    const { otp: _dropped, ...rest } = turn.state
    return { replies: [{ text: t(lang, 'otpExpired') }], state: rest }
  }
}

/** Unlinks this chat (from the chat itself). */
export async function unlinkThisChat(deps: ChatServices, turn: ChatTurn): Promise<Reply[]> {
  const channel = linkedChannel(turn)
  if (!channel) return [{ text: t(turn.language, 'webOnly') }]
  await unlinkChat(deps.db, { channel, chatId: turn.chatId })
  return [{ text: t(turn.language, 'unlinked') }]
}

/** Mutes or unmutes assembly notifications for this chat. */
export async function setMuted(deps: ChatServices, turn: ChatTurn, muted: boolean): Promise<Reply[]> {
  const channel = linkedChannel(turn)
  if (!channel) return [{ text: t(turn.language, 'webOnly') }]
  await updateChatLink(deps.db, { channel, chatId: turn.chatId }, { muted })
  return [{ text: t(turn.language, muted ? 'muted' : 'unmuted') }]
}

/** Remembers the reply language of a linked chat (an unlinked one just gets this answer in it). */
export async function setLanguage(
  deps: ChatServices,
  turn: ChatTurn,
  language: Lang,
): Promise<AccountResult> {
  const channel = linkedChannel(turn)
  if (channel && turn.userId) await updateChatLink(deps.db, { channel, chatId: turn.chatId }, { language })
  return { replies: [{ text: t(language, 'languageSet') }], state: turn.state, language }
}
