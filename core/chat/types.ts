import type { Services } from '../services.ts'

/** The languages a chat speaks: Spanish first, English when the person reads it. */
export type Lang = 'es' | 'en'

/** Where a conversation happens. Telegram and WhatsApp chats are linked to users; web chat users are signed in. */
export type ChatChannel = 'telegram' | 'whatsapp' | 'webchat'

/** A button or list row: `id` is the compact action data sent back when pressed (see actions.ts). */
export interface Choice {
  id: string
  label: string
}

/** One message to the person, channel-neutral: each channel renders the choices its own way. */
export interface Reply {
  text: string
  choices?: Choice[]
}

/** What a chat remembers between messages (Telegram session, WhatsApp state; both in the bus). */
export interface ChatState {
  /** An email code requested from inside the chat, waiting for the 6 digits. */
  otp?: { email: string; attempt: string }
}

/** Who speaks, from where: resolved afresh on every message and every button press. */
export interface ChatTurn {
  channel: ChatChannel
  /** Telegram chat id, WhatsApp wa_id, or `user:<id>` for the web chat. */
  chatId: string
  /** The Telegram user id (null elsewhere), recorded when the chat is linked. */
  externalUserId: string | null
  /** The linked (or signed-in) user; null for an unlinked chat, which may only ask public questions. */
  userId: string | null
  language: Lang
  state: ChatState
}

/** The services the chat engine uses: the same ones (and the same vote service) as the HTTP API. */
export type ChatServices = Pick<
  Services,
  'config' | 'db' | 'bus' | 'log' | 'votes' | 'mailer' | 'limiters' | 'changes'
>

/** Spanish unless the platform says the person reads English. */
export function languageOf(code: string | null | undefined): Lang {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'es'
}
