import nodemailer from 'nodemailer'
import type { MailConfig } from '../config.ts'
import type { Logger } from '../log.ts'

export interface MailMessage {
  to: string
  subject: string
  text: string
  html?: string
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>
}

/** What the relay said: it took the message (with its id), after how many attempts. */
export interface MailOutcome {
  messageId: string | null
  attempts: number
}

export interface Mailer {
  readonly kind: 'smtp' | 'dev'
  /** Sends one message; retries transient failures. Throws MailError when the relay refuses it. */
  send(message: MailMessage): Promise<MailOutcome>
  /** Messages kept for the dev mailbox page; empty for SMTP. */
  recent(): (MailMessage & { at: string })[]
  /** Closes pooled connections (process shutdown, tests). */
  close(): void
}

/** A message the relay did not take, after `attempts` tries; `message` is the relay's or network's error. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message)
    this.name = 'MailError'
  }
}

export interface MailerOptions {
  /** Tries per message (default 3): transient failures (network, SMTP 4xx) are retried. */
  attempts?: number
  /** Wait before the second try, doubled after each (default 500 ms). */
  retryDelayMs?: number
  /** Pooled SMTP connections kept open (default 5). */
  maxConnections?: number
}

// SMTP 5xx replies are permanent (bad address, refused): retrying would not help.
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}

/**
 * SMTP through a pooled nodemailer transport when SMTP_URL is set: a few connections are kept open
 * and reused, so a notice to a thousand owners does not open a thousand connections; transient
 * failures are retried with back-off. Otherwise (never in production: the config refuses) a dev mailer
 * that writes each message to the log and keeps the last 50 for the dev mailbox page.
 */
export function createMailer(config: MailConfig, log: Logger, options: MailerOptions = {}): Mailer {
  const attempts = Math.max(1, options.attempts ?? 3)
  const retryDelayMs = options.retryDelayMs ?? 500
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl)
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // A local relay (Mailpit, a test sink) speaks plain SMTP; anything else negotiates STARTTLS.
      ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
      tls: url.searchParams.get('rejectUnauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
    })
    return {
      kind: 'smtp',
      send: async (message) => {
        let lastError: unknown = null
        let made = 0
        // One Message-ID for every attempt: a retry after a relay accepted but did not answer in time
        // arrives as the same message, which mail clients (and the tests) count once.
        const messageId = `<${crypto.randomUUID()}@${messageIdDomain(config.from)}>`
        for (let attempt = 1; attempt <= attempts; attempt++) {
          made = attempt
          try {
            const info = (await transport.sendMail({ from: config.from, messageId, ...message })) as {
              messageId?: string
            }
            return { messageId: info.messageId ?? null, attempts: attempt }
          } catch (error) {
            lastError = error
            if (isPermanent(error) || attempt === attempts) break
            log.warn('mail: retrying', { to: message.to, attempt, error: String(error) })
            await Bun.sleep(retryDelayMs * 2 ** (attempt - 1))
          }
        }
        throw new MailError(lastError instanceof Error ? lastError.message : String(lastError), made)
      },
      recent: () => [],
      close: () => transport.close(),
    }
  }
  const box: (MailMessage & { at: string })[] = []
  let sent = 0
  return {
    kind: 'dev',
    send: async (message) => {
      box.unshift({ ...message, at: new Date().toISOString() })
      box.length = Math.min(box.length, 50)
      log.warn('DEV MAIL (no SMTP configured; not sent)', {
        to: message.to,
        subject: message.subject,
        text: message.text,
      })
      return { messageId: `dev-${++sent}`, attempts: 1 }
    },
    recent: () => [...box],
    close: () => {},
  }
}

/** The domain of the sender's address ("Name <no-reply@example.org>" → example.org), for Message-IDs. */
function messageIdDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost'
}
