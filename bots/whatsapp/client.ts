import type { WhatsAppConfig } from '../../core/config.ts'

/** A refusal of the Graph API: HTTP status and Meta's error code (e.g. 131047 outside the 24-hour window). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | null,
    message: string,
  ) {
    super(message)
    this.name = 'GraphError'
  }
}

/** Meta's code when a free-form message is sent more than 24 hours after the person last wrote. */
export const OUTSIDE_WINDOW = 131047
/** Rate-limit codes: throughput, spam rate, pair rate. */
export const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056])

export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'interactive'; interactive: Record<string, unknown> }
  | { type: 'template'; template: Record<string, unknown> }

/** Sends messages through the Cloud API (POST /<phone-number-id>/messages). */
export function createGraphClient(config: WhatsAppConfig, fetcher: typeof fetch = fetch) {
  const endpoint = `${config.graphUrl}/${config.phoneNumberId}/messages`
  return {
    async send(to: string, message: OutgoingMessage): Promise<string | null> {
      const response = await fetcher(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
        signal: AbortSignal.timeout(10_000),
      })
      const body = (await response.json().catch(() => ({}))) as {
        messages?: { id: string }[]
        error?: { code?: number; message?: string }
      }
      if (!response.ok) {
        throw new GraphError(
          response.status,
          body.error?.code ?? null,
          body.error?.message ?? response.statusText,
        )
      }
      return body.messages?.[0]?.id ?? null
    },
  }
}

export type GraphClient = ReturnType<typeof createGraphClient>
