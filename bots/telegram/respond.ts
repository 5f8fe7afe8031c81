import { GrammyError, InlineKeyboard } from 'grammy'
import { answer } from '../../core/chat/engine.ts'
import type { Intent } from '../../core/chat/intents.ts'
import { findChatLink } from '../../core/chat/links.ts'
import { type ChatServices, type Choice, languageOf, type Reply } from '../../core/chat/types.ts'
import type { BotContext } from './context.ts'

/** Choices as an inline keyboard: short ones side by side (up to three), long ones a row each. */
export function keyboardOf(choices: readonly Choice[] | undefined): InlineKeyboard | undefined {
  if (!choices || choices.length === 0) return undefined
  const side = choices.length <= 3 && choices.every((choice) => choice.label.length <= 12)
  const buttons = choices.map((choice) => InlineKeyboard.text(choice.label, choice.id))
  return InlineKeyboard.from(side ? [buttons] : buttons.map((button) => [button]))
}

export async function sendReplies(ctx: BotContext, replies: readonly Reply[]): Promise<void> {
  for (const reply of replies) {
    await ctx.reply(reply.text, { reply_markup: keyboardOf(reply.choices) })
  }
}

/**
 * Resolves who speaks in this private chat from its link, afresh on every update (an unlinked or
 * re-linked chat is noticed at once); the Telegram user must be the one who linked it.
 */
export function identify(deps: ChatServices) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const chatId = String(ctx.chat?.id ?? ctx.from?.id ?? '')
    const externalUserId = ctx.from ? String(ctx.from.id) : null
    const link = chatId ? await findChatLink(deps.db, 'telegram', chatId) : null
    const trusted = link && (link.externalUserId === null || link.externalUserId === externalUserId)
    ctx.turn = {
      channel: 'telegram',
      chatId,
      externalUserId,
      userId: trusted ? link.userId : null,
      language: link ? languageOf(link.language) : languageOf(ctx.from?.language_code),
      state: ctx.session ?? {},
    }
    await next()
  }
}

/**
 * Redraws the pressed message with the last reply (ticking options, turning pages: one message that
 * changes rather than a new one per press); earlier replies (a warning) are sent before it. Falls back
 * to sending when the message cannot be edited (too old, or deleted).
 */
async function editReplies(ctx: BotContext, replies: readonly Reply[]): Promise<void> {
  const last = replies.at(-1)
  if (!last || !ctx.callbackQuery?.message) return sendReplies(ctx, replies)
  await sendReplies(ctx, replies.slice(0, -1))
  try {
    await ctx.editMessageText(last.text, { reply_markup: keyboardOf(last.choices) })
  } catch (error) {
    // Pressing twice redraws the same content, which Telegram refuses as "not modified".
    if (error instanceof GrammyError && error.description.includes('not modified')) return
    await sendReplies(ctx, [last])
  }
}

/** Answers an intent through the shared engine and renders the replies; keeps the chat state. */
export async function respond(
  ctx: BotContext,
  deps: ChatServices,
  intent: Intent,
  options: { edit?: boolean } = {},
): Promise<void> {
  const result = await answer(deps, { ...ctx.turn, state: ctx.session ?? {} }, intent)
  ctx.session = result.state
  ctx.turn = { ...ctx.turn, userId: result.userId, language: result.language }
  await (options.edit ? editReplies(ctx, result.replies) : sendReplies(ctx, result.replies))
}
