import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/poderes`: proxies the user holds, and those given for the user's units. */
export function proxiesFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['poderes', 'proxies'], (ctx) => respond(ctx, deps, { kind: 'proxies' }))
  return feature
}
