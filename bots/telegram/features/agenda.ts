import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/agenda`: the agenda (and its motions) of the current assembly. */
export function agendaFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['agenda', 'orden'], (ctx) => respond(ctx, deps, { kind: 'agenda' }))
  return feature
}
