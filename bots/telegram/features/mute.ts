import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/silenciar` and `/activar`: assembly notifications off and on for this chat. */
export function muteFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['silenciar', 'mute'], (ctx) => respond(ctx, deps, { kind: 'mute' }))
  feature.command(['activar', 'unmute'], (ctx) => respond(ctx, deps, { kind: 'unmute' }))
  return feature
}
