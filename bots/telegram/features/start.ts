import { Composer } from 'grammy'
import { normalizeLinkCode } from '../../../core/chat/link-codes.ts'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/**
 * Start and linking: `/start CODE` (the t.me deep link from the web), `/vincular CODE`, `/email
 * address` (an email code follows, answered by typing the 6 digits or `/codigo 123456`).
 */
export function startFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['start', 'vincular', 'link'], async (ctx) => {
    const code = normalizeLinkCode(ctx.match)
    await respond(ctx, deps, code ? { kind: 'link_code', code } : { kind: 'help' })
  })
  feature.command(['email', 'correo'], async (ctx) => {
    const email = ctx.match.trim()
    await respond(ctx, deps, email.includes('@') ? { kind: 'link_email', email } : { kind: 'help' })
  })
  feature.command(['codigo', 'code'], (ctx) =>
    respond(ctx, deps, { kind: 'link_otp', code: ctx.match.replace(/\s/g, '') }),
  )
  return feature
}
