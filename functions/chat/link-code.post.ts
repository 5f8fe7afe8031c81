import { Elysia, t } from 'elysia'
import { assertWithinRateLimit, createRateLimiter } from '../../core/auth/rate-limit.ts'
import { createLinkCode } from '../../core/chat/link-codes.ts'
import { auth } from '../_lib/auth.ts'
import { ErrorResponse } from '../_lib/schemas.ts'
import { chatTags } from './_schemas.ts'

/**
 * A one-time code (10 minutes, single use) to link a Telegram or WhatsApp chat to the signed-in user:
 * open the Telegram link (it sends `/start CODE`) or send "VINCULAR CODE" to the WhatsApp number.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user }) => {
    const limiter = createRateLimiter(s.bus, { name: 'chat-link-code', limit: 10, windowMs: 15 * 60_000 })
    await assertWithinRateLimit(limiter, user.id, 'link codes')
    const { code, compact, expiresAt } = await createLinkCode(s.db, user.id)
    const { telegram, whatsapp } = s.config.bots
    return {
      code,
      expiresAt: expiresAt.toISOString(),
      expiresInSeconds: Math.round((expiresAt.getTime() - Date.now()) / 1000),
      telegramUrl: telegram ? `https://t.me/${telegram.username}?start=${compact}` : null,
      whatsappUrl: whatsapp?.businessNumber
        ? `https://wa.me/${whatsapp.businessNumber}?text=${encodeURIComponent(`VINCULAR ${code}`)}`
        : null,
    }
  },
  {
    auth: 'user',
    response: {
      200: t.Object({
        code: t.String({ description: 'e.g. K7Q2-M9XD; send it to the bot' }),
        expiresAt: t.String({ format: 'date-time' }),
        expiresInSeconds: t.Integer(),
        telegramUrl: t.Nullable(t.String({ description: 'Deep link that starts the bot with the code' })),
        whatsappUrl: t.Nullable(t.String({ description: 'wa.me link with the message prefilled' })),
      }),
      401: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'Get a code to link a chat', tags: chatTags },
  },
)
