import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/quorum`: the live quorum of the current assembly. */
export function quorumFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command('quorum', (ctx) => respond(ctx, deps, { kind: 'quorum' }))
  return feature
}
