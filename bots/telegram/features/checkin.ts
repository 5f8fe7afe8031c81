import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/asistencia`: remote self check-in for every unit the user represents (where the meeting allows it). */
export function checkInFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['asistencia', 'checkin'], (ctx) => respond(ctx, deps, { kind: 'checkin' }))
  return feature
}
