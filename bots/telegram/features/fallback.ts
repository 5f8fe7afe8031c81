import { Composer } from 'grammy'
import { parseText } from '../../../core/chat/intents.ts'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/**
 * The catch-all, mounted last: help and language commands, free text in Spanish or English
 * ("quiero votar", "¿hay quórum?", an email, the 6 digits of an email code), stale buttons, and
 * anything else (stickers, photos) answered with the help.
 */
export function fallbackFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['ayuda', 'help', 'acerca', 'about', 'idioma', 'language'], (ctx) =>
    respond(ctx, deps, parseText(ctx.msg.text ?? '', ctx.session)),
  )
  feature.on('message:text', (ctx) => respond(ctx, deps, parseText(ctx.msg.text, ctx.session)))
  feature.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery()
    await respond(ctx, deps, { kind: 'help' })
  })
  feature.on('message', (ctx) => respond(ctx, deps, { kind: 'help' }))
  return feature
}
