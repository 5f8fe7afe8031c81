import { createRateLimiter } from '../core/auth/rate-limit.ts'
import { startSummaryScheduler } from '../core/communications/scheduler.ts'
import { clientIp, errorBody, processRoute, readLimitedBody } from '../core/edge.ts'
import { startReminderScheduler } from '../core/mail/reminders.ts'
import { createProcessRegistry } from '../core/metrics.ts'
import type { Services } from '../core/services.ts'
import { createNotificationSender, type NotificationSender, type SenderDeps } from './notifications/sender.ts'
import type { Clock } from './notifications/throttle.ts'
import { type AssemblyWatcher, createAssemblyWatcher } from './notifications/watcher.ts'
import { createTelegramBot } from './telegram/bot.ts'
import { createTelegramSender } from './telegram/sender.ts'
import { createTelegramWebhook } from './telegram/webhook.ts'
import { createGraphClient } from './whatsapp/client.ts'
import { createWhatsAppSender } from './whatsapp/sender.ts'
import { createWhatsAppWebhook } from './whatsapp/webhook.ts'

export interface BotsOptions {
  services: Services
  /** Send the notice reminders and the summaries of decisions that fall due, every minute (default true). */
  reminders?: boolean
  /** Run the notification sender and the assembly watcher (default: when a channel is on). */
  notifications?: boolean
  /** Clock of the notification sender (tests). */
  clock?: Clock
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers })

type ServerLike = Parameters<typeof clientIp>[1]

/**
 * The bots process without its socket: the Telegram webhook (secret token, each update once), the
 * WhatsApp webhook (signature checked), health and readiness, a rate limit per client address and the
 * body size limit; plus the notification sender and the assembly watcher. `fetch` serves one request.
 */
export function createBotsApp(options: BotsOptions) {
  const { services } = options
  const { config, log, bus } = services
  const { telegram: telegramConfig, whatsapp: whatsappConfig } = config.bots
  if (!telegramConfig) log.info('telegram channel off (TELEGRAM_BOT_TOKEN not set)')
  if (!whatsappConfig) log.info('whatsapp channel off (WHATSAPP_ACCESS_TOKEN and friends not set)')
  if (!config.bots.llm) log.info('web chat answers from intents only (LLM_BASE_URL not set)')

  const telegram = telegramConfig ? createTelegramBot(services, telegramConfig) : null
  const telegramWebhook =
    telegram && telegramConfig?.mode === 'webhook'
      ? createTelegramWebhook({ bot: telegram, config: telegramConfig, bus })
      : null
  const graph = whatsappConfig ? createGraphClient(whatsappConfig) : null
  const whatsapp = whatsappConfig && graph ? createWhatsAppWebhook(services, whatsappConfig, graph) : null

  const channels: SenderDeps['channels'] = {}
  if (telegram && telegramConfig) {
    channels.telegram = {
      sender: createTelegramSender(telegram.api),
      limits: {
        perSecond: telegramConfig.messagesPerSecond,
        perChatIntervalMs: telegramConfig.perChatIntervalMs,
      },
    }
  }
  if (whatsappConfig && graph) {
    channels.whatsapp = {
      sender: createWhatsAppSender({ bus, config: whatsappConfig, client: graph }),
      limits: { perSecond: whatsappConfig.messagesPerSecond, perChatIntervalMs: 1000 },
    }
  }
  const notifications = options.notifications ?? Object.keys(channels).length > 0
  const sender: NotificationSender = createNotificationSender({
    db: services.db,
    bus,
    log,
    channels,
    clock: options.clock,
  })
  const watcher: AssemblyWatcher = createAssemblyWatcher({ db: services.db, bus, log })
  let reminders: { stop(): void } | null = null
  let summaries: { stop(): void } | null = null
  const limiter = createRateLimiter(bus, {
    name: 'bots-webhook',
    limit: config.bots.rateLimitPerMinute,
    windowMs: 60_000,
  })
  const metrics = createProcessRegistry('bots')
  const webhookRequests = metrics.counter(
    'bots_webhook_requests_total',
    'Webhook requests received, by channel',
  )
  const rateLimited = metrics.counter(
    'bots_webhook_rate_limited_total',
    'Webhook requests refused by the rate limit',
  )
  const messages = metrics.counter(
    'bot_messages_total',
    'Inbound webhook deliveries accepted for handling, by channel',
  )
  metrics.counterFrom('bots_notifications_sent_total', 'Notifications sent', () => sender.stats.sent)
  metrics.counterFrom('bots_notifications_skipped_total', 'Notifications skipped', () => sender.stats.skipped)
  metrics.counterFrom(
    'bots_notifications_retried_total',
    'Notification attempts retried',
    () => sender.stats.retried,
  )
  metrics.counterFrom(
    'bots_notifications_failed_total',
    'Notifications that failed for good',
    () => sender.stats.failed,
  )
  metrics.counterFrom(
    'bots_notifications_throttled_seconds_total',
    'Time notifications waited for the channel rate limits, in seconds',
    () => sender.stats.waitedMs / 1000,
  )
  metrics.gauge('bots_watched_assemblies', 'Assemblies whose changes the watcher follows', () =>
    watcher.following(),
  )

  async function telegramUpdate(request: Request, body: Uint8Array): Promise<Response> {
    if (!telegramWebhook)
      return json(404, errorBody('channel_off', 'The Telegram channel is not served by webhook here'))
    return telegramWebhook(request, body)
  }

  async function route(request: Request, server: ServerLike): Promise<Response> {
    const url = new URL(request.url)
    const processAnswer = await processRoute(url.pathname, { database: services.database, bus }, metrics)
    if (processAnswer) return processAnswer
    if (url.pathname !== '/bots/telegram' && url.pathname !== '/bots/whatsapp') {
      return json(404, errorBody('not_found', `No route for ${request.method} ${url.pathname}`))
    }
    const channel = url.pathname === '/bots/telegram' ? 'telegram' : 'whatsapp'
    webhookRequests.inc({ channel })
    const verdict = await limiter.hit(clientIp(request, server, config))
    if (!verdict.allowed) {
      rateLimited.inc({ channel })
      return json(
        429,
        errorBody('too_many_requests', `Too many requests; try again in ${verdict.retryAfterSeconds} s`),
        {
          'retry-after': String(verdict.retryAfterSeconds),
        },
      )
    }
    const body = await readLimitedBody(request, config.bodyLimitBytes)
    if (body instanceof Response) return body
    messages.inc({ channel })
    if (url.pathname === '/bots/telegram') return telegramUpdate(request, body)
    if (!whatsapp) return json(404, errorBody('channel_off', 'The WhatsApp channel is not configured'))
    return whatsapp.handle(request, body)
  }

  return {
    telegram,
    whatsapp,
    sender,
    watcher,
    /** Serves one request (the Bun server passes itself for the client address). */
    async fetch(request: Request, server: ServerLike = null): Promise<Response> {
      try {
        return await route(request, server)
      } catch (error) {
        log.error('bots request failed', { path: new URL(request.url).pathname, error })
        return json(500, errorBody('internal_error', 'Internal server error'))
      }
    },
    /** Starts the background work: notifications, and long polling when Telegram runs without webhook. */
    async start(): Promise<void> {
      // Reminders of the notice go by email whatever chat channels are on: this process already runs
      // the periodic work; rows are claimed with SKIP LOCKED, so several bots processes are safe.
      // The summary of decisions (art. 71) goes out the same way once an assembly closes.
      if (options.reminders ?? true) {
        const deps = { db: services.db, mailer: services.mailer, bus, log }
        reminders = startReminderScheduler(deps)
        summaries = startSummaryScheduler({ ...deps, publicUrl: config.publicUrl })
      }
      if (notifications) {
        sender.start()
        await watcher.start()
      }
      if (telegram && telegramConfig?.mode === 'polling') {
        void telegram
          .start({
            allowed_updates: ['message', 'callback_query'],
            onStart: () => log.info('telegram long polling'),
          })
          .catch((error) => log.error('telegram polling stopped', { error }))
      }
    },
    async stop(): Promise<void> {
      if (telegram?.isRunning()) await telegram.stop()
      reminders?.stop()
      summaries?.stop()
      await watcher.stop()
      await sender.stop()
      await whatsapp?.idle()
    },
  }
}

export type BotsApp = ReturnType<typeof createBotsApp>

/**
 * The bots process on BOTS_PORT (3002): `/bots/telegram` and `/bots/whatsapp` behind nginx's `/bots/`,
 * `/api/health`, `/api/ready` and `/metrics`. Channels without credentials are off (logged once).
 */
export async function startBotsServer(options: BotsOptions & { port?: number }) {
  const { config, log } = options.services
  const app = createBotsApp(options)
  const server = Bun.serve({
    port: options.port ?? config.bots.port,
    hostname: config.host,
    maxRequestBodySize: config.bodyLimitBytes,
    fetch: (request, srv) => app.fetch(request, srv),
  })
  await app.start()
  log.info('bots listening', {
    url: `http://${server.hostname}:${server.port}`,
    telegram: config.bots.telegram?.mode ?? 'off',
    whatsapp: config.bots.whatsapp ? 'webhook' : 'off',
  })
  return {
    app,
    server,
    stop: async () => {
      server.stop(true)
      await app.stop()
    },
  }
}

if (import.meta.main) {
  const { runProcess } = await import('../core/process.ts')
  const { processServices } = await import('../core/services.ts')
  await runProcess('bots', async (context) => {
    const services = processServices(context, 'bots')
    const bots = await startBotsServer({ services })
    return bots.stop
  })
}
