import { Elysia, status, t } from 'elysia'
import { assertWithinRateLimit, createRateLimiter } from '../../core/auth/rate-limit.ts'
import { answerWebChat } from '../../core/chat/webchat.ts'
import { auth } from '../_lib/auth.ts'
import { errorBody } from '../_lib/errors.ts'
import { ErrorResponse, Language } from '../_lib/schemas.ts'
import { chatTags } from './_schemas.ts'

const Choice = t.Object({
  id: t.String({ description: 'Send back as `action` when pressed' }),
  label: t.String(),
})

/**
 * The web chat: a message or a pressed choice, answered from live data by the same intents as the
 * Telegram and WhatsApp bots (votes need the same confirmation); other questions go to the optional
 * language model with only the PHs' public assembly data.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user, body }) => {
    if (!body.message?.trim() && !body.action) {
      return status(
        422,
        errorBody('validation_failed', 'Send a message or an action', [
          { field: 'body.message', message: 'Required without action' },
        ]),
      )
    }
    const limiter = createRateLimiter(s.bus, { name: 'webchat', limit: 30, windowMs: 60_000 })
    await assertWithinRateLimit(limiter, user.id, 'chat messages')
    const language = body.language ?? (user.locale.startsWith('en') ? 'en' : 'es')
    return answerWebChat(s, { userId: user.id, message: body.message, action: body.action, language })
  },
  {
    auth: 'user',
    body: t.Object(
      {
        message: t.Optional(t.String({ maxLength: 1000 })),
        action: t.Optional(t.String({ maxLength: 64 })),
        language: t.Optional(Language),
      },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({
        replies: t.Array(t.Object({ text: t.String(), choices: t.Optional(t.Array(Choice)) })),
        source: t.Union([t.Literal('intent'), t.Literal('llm'), t.Literal('help')]),
      }),
      401: ErrorResponse,
      422: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'Ask the web chat', tags: chatTags },
  },
)
