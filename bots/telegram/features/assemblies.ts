import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/asambleas`: the assemblies of every PH of the linked user. */
export function assembliesFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['asambleas', 'assemblies'], (ctx) => respond(ctx, deps, { kind: 'assemblies' }))
  return feature
}
