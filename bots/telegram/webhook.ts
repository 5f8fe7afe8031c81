import { type Bot, webhookCallback } from 'grammy'
import { equalBytes } from '../../core/auth/crypto.ts'
import type { Bus } from '../../core/bus/types.ts'
import type { TelegramConfig } from '../../core/config.ts'
import { errorBody } from '../../core/edge.ts'
import type { BotContext } from './context.ts'

/** Telegram retries an unanswered update for a day at most; a week of memory is ample. */
const SEEN_TTL_MS = 7 * 86_400_000
const SECRET_HEADER = 'x-telegram-bot-api-secret-token'

const json = (status: number, body: unknown) => Response.json(body, { status })
const encoder = new TextEncoder()

/**
 * The Telegram webhook: the secret token checked first (in constant time), then the body parsed
 * (malformed JSON is a 400, never a 500), then each update_id handled once. Telegram redelivers an
 * update it thinks failed, and anyone who learnt the secret could replay one: a replay answers 200
 * and does nothing (as the WhatsApp path does on the message id).
 */
export function createTelegramWebhook(deps: { bot: Bot<BotContext>; config: TelegramConfig; bus: Bus }) {
  const { bot, config, bus } = deps
  const callback = webhookCallback(bot, 'std/http', {
    secretToken: config.webhookSecret ?? undefined,
    // A slow update must not make Telegram retry it while it is still being handled.
    onTimeout: 'return',
    timeoutMilliseconds: 9_000,
  })
  const botId = config.token.split(':')[0]
  const secret = config.webhookSecret ? encoder.encode(config.webhookSecret) : null

  return async function handle(request: Request, body: Uint8Array): Promise<Response> {
    if (request.method !== 'POST') return json(405, errorBody('method_not_allowed', 'Use POST'))
    if (secret && !equalBytes(encoder.encode(request.headers.get(SECRET_HEADER) ?? ''), secret))
      return json(401, errorBody('unauthorized', 'Wrong or missing secret token'))
    let update: { update_id?: unknown }
    try {
      update = JSON.parse(new TextDecoder().decode(body)) as { update_id?: unknown }
    } catch {
      return json(400, errorBody('malformed_body', 'The request body is not valid JSON'))
    }
    if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id))
      return json(
        400,
        errorBody('invalid_update', 'update_id: a Telegram update carries an integer update_id'),
      )
    if (!(await bus.setIfAbsent(`bots:telegram:seen:${botId}:${update.update_id}`, '1', SEEN_TTL_MS)))
      return json(200, { ok: true, duplicate: true })
    return callback(
      new Request(request.url, { method: 'POST', headers: request.headers, body: Buffer.from(body) }),
    )
  }
}
