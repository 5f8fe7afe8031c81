import type { Update } from 'grammy/types'
import { startRecordingServer } from '../../core/chat/testing.ts'

/*
 * A fake Bot API (what grammY's client talks to when `client.apiRoot` points here) and real-shaped
 * update JSON for `bot.handleUpdate`.
 */

export interface BotApiCall {
  method: string
  // biome-ignore lint/suspicious/noExplicitAny: payloads are checked field by field in the tests
  payload: any
}

export function startFakeBotApi() {
  const failures: { status: number; body: unknown }[] = []
  /** Served to long polling (getUpdates), oldest first. */
  const pendingUpdates: Update[] = []
  let messageId = 1000
  const server = startRecordingServer(async ({ path, body }) => {
    const failure = failures.shift()
    if (failure) return Response.json(failure.body, { status: failure.status })
    const method = path.split('/').at(-1)!
    if (method === 'getUpdates') {
      // Long polling: hold an empty answer a little, as Telegram holds it up to its timeout.
      if (pendingUpdates.length === 0) await Bun.sleep(20)
      return Response.json({ ok: true, result: pendingUpdates.splice(0) })
    }
    const payload = (body ?? {}) as { chat_id?: number | string; text?: string }
    const result =
      method === 'sendMessage'
        ? {
            message_id: ++messageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(payload.chat_id), type: 'private' },
            text: payload.text,
          }
        : true
    return Response.json({ ok: true, result })
  })
  const calls = (): BotApiCall[] =>
    server.calls.map((call) => ({ method: call.path.split('/').at(-1)!, payload: call.body }))
  return {
    url: server.url,
    calls,
    /** sendMessage payloads to one chat, in order. */
    messagesTo: (chatId: number) =>
      calls()
        .filter((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chatId)
        .map((call) => call.payload),
    /** Updates the next getUpdates call returns (long polling). */
    queueUpdates: (...updates: Update[]) => pendingUpdates.push(...updates),
    /** The next calls answer with these errors, in order. */
    failNext: (...responses: { status: number; body: unknown }[]) => failures.push(...responses),
    reset: () => {
      server.calls.length = 0
    },
    stop: server.stop,
  }
}

export type FakeBotApi = ReturnType<typeof startFakeBotApi>

let updateId = 5000

function person(chatId: number, languageCode: string) {
  return { id: chatId, is_bot: false, first_name: 'Ana', language_code: languageCode }
}

/** A private text message, with the bot_command entity Telegram adds for a leading /command. */
export function textUpdate(
  chatId: number,
  text: string,
  options: { languageCode?: string; chatType?: 'private' | 'group' } = {},
): Update {
  const command = /^\/\S+/.exec(text)?.[0]
  const chatType = options.chatType ?? 'private'
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatType === 'private'
          ? { id: chatId, type: 'private', first_name: 'Ana' }
          : { id: -chatId, type: 'group', title: 'Vecinos' },
      from: person(chatId, options.languageCode ?? 'es'),
      text,
      ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' as const }] } : {}),
    },
  } as Update
}

/** A press on an inline keyboard button of a message the bot sent to a private chat. */
export function callbackUpdate(chatId: number, data: string): Update {
  return {
    update_id: ++updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: person(chatId, 'es'),
      chat_instance: `instance-${chatId}`,
      data,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Ana' },
        from: { id: 123456789, is_bot: true, first_name: 'Asamblea 2.0', username: 'asamblea_test_bot' },
        text: '…',
      },
    },
  } as Update
}

/** The callback data of the buttons of a sendMessage payload, by label. */
export function buttonsOf(payload: {
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] }
}) {
  return Object.fromEntries(
    (payload.reply_markup?.inline_keyboard ?? [])
      .flat()
      .map((button) => [button.text, button.callback_data ?? '']),
  )
}
