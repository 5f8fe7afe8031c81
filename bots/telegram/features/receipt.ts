import { Composer } from 'grammy'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/** `/recibo CODE`: whether a vote with that receipt is recorded (and counted), never the choice. */
export function receiptFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['recibo', 'receipt'], (ctx) =>
    respond(ctx, deps, { kind: 'receipt', code: ctx.match.trim() || null }),
  )
  return feature
}
