import { type Api, GrammyError, HttpError } from 'grammy'
import { type ChannelSender, SendError } from '../notifications/sender.ts'
import { keyboardOf } from './respond.ts'

/**
 * Sends notifications through the Bot API. 429 is retried after Telegram's retry_after; other 4xx
 * (blocked by the user, chat not found) are final; network and 5xx failures are retried.
 */
export function createTelegramSender(api: Api): ChannelSender {
  return {
    async send(notification) {
      try {
        await api.sendMessage(notification.chatId, notification.reply.text, {
          reply_markup: keyboardOf(notification.reply.choices),
        })
      } catch (error) {
        if (error instanceof GrammyError) {
          const retryAfter = error.parameters.retry_after
          if (error.error_code === 429) throw new SendError(error.description, true, (retryAfter ?? 1) * 1000)
          throw new SendError(error.description, error.error_code >= 500)
        }
        if (error instanceof HttpError) throw new SendError(error.message, true)
        throw error
      }
    },
  }
}
