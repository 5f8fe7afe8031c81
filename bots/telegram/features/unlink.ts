import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/desvincular`: this chat stops speaking for the user (also possible from the web). */
export function unlinkFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['desvincular', 'unlink'], (ctx) => respond(ctx, deps, { kind: 'unlink' }))
  return feature
}
