import { Composer } from 'grammy'
import { decodeAction } from '../../../core/chat/actions.ts'
import type { ChatServices } from '../../../core/chat/types.ts'
import type { BotContext } from '../context.ts'
import { respond } from '../respond.ts'

/**
 * `/votar` and the vote buttons: pick a motion (m|…), an option (v|…), tick one of several (t|…), turn
 * a page (p|…), confirm the ticked ones (s|…), confirm (c|…) or cancel (x|…),
 * check in (k|…), or a menu entry (i|…). The data is only a request: every press is authorized again
 * by the shared engine from the chat's current link and the live voting facts.
 */
export function voteFeature(deps: ChatServices) {
  const feature = new Composer<BotContext>()
  feature.command(['votar', 'vote'], (ctx) => respond(ctx, deps, { kind: 'vote' }))
  feature.command(['comovotar', 'como_votar', 'howtovote'], (ctx) =>
    respond(ctx, deps, { kind: 'how_to_vote' }),
  )
  feature.on('callback_query:data', async (ctx, next) => {
    const action = decodeAction(ctx.callbackQuery.data)
    if (!action) return next()
    await ctx.answerCallbackQuery()
    // Ticking an option or turning a page redraws the ballot in place.
    const edit = action.kind === 'toggle' || action.kind === 'page'
    await respond(ctx, deps, { kind: 'action', action }, { edit })
  })
  return feature
}
