import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/salir`: leave the meeting, after the warning of what it does to the quorum (a confirm button). */
export function leaveFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['salir', 'leave'], (ctx) => respond(ctx, deps, { kind: 'leave' }))
  return feature
}
