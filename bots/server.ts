import { webhookCallback } from 'grammy'
import { createRateLimiter } from '../core/auth/rate-limit.ts'
import { checkReadiness } from '../core/readiness.ts'
import { clientIp } from '../functions/_lib/auth.ts'
import { errorBody } from '../functions/_lib/errors.ts'
import type { Services } from '../functions/_lib/services.ts'
import { createNotificationSender, type NotificationSender, type SenderDeps } from './notifications/sender.ts'
import type { Clock } from './notifications/throttle.ts'
import { type AssemblyWatcher, createAssemblyWatcher } from './notifications/watcher.ts'
import { createTelegramBot } from './telegram/bot.ts'
import { createTelegramSender } from './telegram/sender.ts'
import { createGraphClient } from './whatsapp/client.ts'
import { createWhatsAppSender } from './whatsapp/sender.ts'
import { createWhatsAppWebhook } from './whatsapp/webhook.ts'

export interface BotsOptions {
  services: Services
  /** Run the notification sender and the assembly watcher (default: when a channel is on). */
  notifications?: boolean
  /** Clock of the notification sender (tests). */
  clock?: Clock
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers })

type ServerLike = Parameters<typeof clientIp>[1]

/**
 * The bots process without its socket: the Telegram webhook (secret token checked by grammY), the
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
      ? webhookCallback(telegram, 'std/http', {
          secretToken: telegramConfig.webhookSecret ?? undefined,
          onTimeout: 'return',
          timeoutMilliseconds: 9_000,
        })
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
  const limiter = createRateLimiter(bus, {
    name: 'bots-webhook',
    limit: config.bots.rateLimitPerMinute,
    windowMs: 60_000,
  })
  const counters = { requests: 0, refused: 0 }

  async function readBody(request: Request): Promise<Uint8Array | Response> {
    const declared = Number(request.headers.get('content-length') ?? 0)
    const tooLarge = json(
      413,
      errorBody('payload_too_large', `Request body exceeds ${config.bodyLimitBytes} bytes`),
    )
    if (declared > config.bodyLimitBytes) return tooLarge
    const body = new Uint8Array(await request.arrayBuffer())
    return body.byteLength > config.bodyLimitBytes ? tooLarge : body
  }

  async function telegramUpdate(request: Request, body: Uint8Array): Promise<Response> {
    if (!telegramWebhook)
      return json(404, errorBody('channel_off', 'The Telegram channel is not served by webhook here'))
    if (request.method !== 'POST') return json(405, errorBody('method_not_allowed', 'Use POST'))
    const replay = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: Buffer.from(body),
    })
    return telegramWebhook(replay)
  }

  async function route(request: Request, server: ServerLike): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/api/health') return json(200, { status: 'ok' })
    if (url.pathname === '/api/ready') {
      const report = await checkReadiness({ database: services.database, bus })
      return json(report.ready ? 200 : 503, report)
    }
    if (url.pathname === '/metrics')
      return new Response(metricsText(), { headers: { 'content-type': 'text/plain; version=0.0.4' } })
    if (url.pathname !== '/bots/telegram' && url.pathname !== '/bots/whatsapp') {
      return json(404, errorBody('not_found', `No route for ${request.method} ${url.pathname}`))
    }
    counters.requests += 1
    const verdict = await limiter.hit(clientIp(request, server, config))
    if (!verdict.allowed) {
      counters.refused += 1
      return json(
        429,
        errorBody('too_many_requests', `Too many requests; try again in ${verdict.retryAfterSeconds} s`),
        {
          'retry-after': String(verdict.retryAfterSeconds),
        },
      )
    }
    const body = await readBody(request)
    if (body instanceof Response) return body
    if (url.pathname === '/bots/telegram') return telegramUpdate(request, body)
    if (!whatsapp) return json(404, errorBody('channel_off', 'The WhatsApp channel is not configured'))
    return whatsapp.handle(request, body)
  }

  function metricsText(): string {
    const lines = [
      ['bots_webhook_requests_total', counters.requests],
      ['bots_webhook_rate_limited_total', counters.refused],
      ['bots_notifications_sent_total', sender.stats.sent],
      ['bots_notifications_skipped_total', sender.stats.skipped],
      ['bots_notifications_retried_total', sender.stats.retried],
      ['bots_notifications_failed_total', sender.stats.failed],
      ['bots_notifications_throttled_ms_total', sender.stats.waitedMs],
      ['bots_watched_assemblies', watcher.following()],
    ]
    return `${lines.map(([name, value]) => `${name} ${value}`).join('\n')}\n`
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
  const { createServices } = await import('../functions/_lib/services.ts')
  await runProcess('bots', async ({ config, secretKey, log, platform }) => {
    const services = createServices({
      config,
      secretKey,
      log,
      database: platform.database,
      bus: platform.bus,
    })
    const bots = await startBotsServer({ services })
    return bots.stop
  })
}
