import type { Bus } from '../../core/bus/types.ts'
import type { WhatsAppConfig } from '../../core/config.ts'
import type { NotificationKind, OutboundNotification } from '../notifications/queue.ts'
import { type ChannelSender, SendError } from '../notifications/sender.ts'
import { type GraphClient, GraphError, OUTSIDE_WINDOW, RATE_LIMITED } from './client.ts'
import { windowKey } from './inbound.ts'
import { renderReply, renderTemplate } from './render.ts'

function templateName(config: WhatsAppConfig, kind: NotificationKind): string | null {
  if (kind === 'convened') return config.templates.convened
  if (kind === 'started') return config.templates.started
  if (kind === 'communication') return config.templates.communication
  return config.templates.motionOpened
}

function asSendError(error: unknown): SendError {
  if (!(error instanceof GraphError)) return new SendError(String(error), true)
  const rateLimited = error.status === 429 || (error.code !== null && RATE_LIMITED.has(error.code))
  return new SendError(error.message, rateLimited || error.status >= 500)
}

/**
 * Sends notifications on WhatsApp: a free-form message inside the 24-hour window (the person wrote
 * recently), otherwise the approved template configured for the kind of event. Without a template
 * for it, a notification outside the window is given up (logged by the sender).
 */
export function createWhatsAppSender(deps: {
  bus: Bus
  config: WhatsAppConfig
  client: GraphClient
}): ChannelSender {
  const { bus, config, client } = deps

  async function sendTemplate(notification: OutboundNotification): Promise<void> {
    const name = templateName(config, notification.template.kind)
    if (!name)
      throw new SendError(
        `outside the 24-hour window and no template for ${notification.template.kind}`,
        false,
      )
    await client.send(
      notification.chatId,
      renderTemplate(name, config.templateLanguage, notification.template.params),
    )
  }

  return {
    async send(notification) {
      try {
        if ((await bus.get(windowKey(notification.chatId))) === null) return await sendTemplate(notification)
        try {
          await client.send(notification.chatId, renderReply(notification.reply, notification.language))
        } catch (error) {
          // The window closed between our record and Meta's clock: the template still reaches them.
          if (error instanceof GraphError && error.code === OUTSIDE_WINDOW)
            return await sendTemplate(notification)
          throw error
        }
      } catch (error) {
        throw error instanceof SendError ? error : asSendError(error)
      }
    },
  }
}
