import nodemailer from 'nodemailer'
import type { MailConfig } from '../config.ts'
import type { Logger } from '../log.ts'

export interface MailMessage {
  to: string
  subject: string
  text: string
  html?: string
}

export interface Mailer {
  readonly kind: 'smtp' | 'dev'
  send(message: MailMessage): Promise<void>
  /** Messages kept for the dev mailbox page; empty for SMTP. */
  recent(): (MailMessage & { at: string })[]
}

/**
 * SMTP through nodemailer when SMTP_URL is set. Otherwise (never in production: the config refuses)
 * a dev mailer that writes each message to the log and keeps the last 50 for the dev mailbox page.
 */
export function createMailer(config: MailConfig, log: Logger): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl)
    return {
      kind: 'smtp',
      send: async (message) => {
        await transport.sendMail({ from: config.from, ...message })
      },
      recent: () => [],
    }
  }
  const box: (MailMessage & { at: string })[] = []
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
    },
    recent: () => [...box],
  }
}
