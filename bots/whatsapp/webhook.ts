import type { ChatServices } from '../../core/chat/types.ts'
import type { WhatsAppConfig } from '../../core/config.ts'
import { errorBody } from '../../core/edge.ts'
import type { GraphClient } from './client.ts'
import { createInboundHandler, type WebhookPayload } from './inbound.ts'
import { equalSecrets, isValidSignature } from './signature.ts'

/*
 * The Cloud API webhook (GET and POST /bots/whatsapp): the subscription handshake, and deliveries
 * verified with X-Hub-Signature-256 over the raw body, answered 200 at once and processed after.
 */

const json = (status: number, body: unknown) => Response.json(body, { status })

export function createWhatsAppWebhook(deps: ChatServices, config: WhatsAppConfig, client: GraphClient) {
  const inbound = createInboundHandler(deps, config, client)
  const inFlight = new Set<Promise<void>>()

  function verifySubscription(url: URL): Response {
    const mode = url.searchParams.get('hub.mode')
    const token = url.searchParams.get('hub.verify_token') ?? ''
    const challenge = url.searchParams.get('hub.challenge') ?? ''
    if (mode !== 'subscribe' || !equalSecrets(token, config.verifyToken)) {
      return json(403, errorBody('forbidden', 'Verification token mismatch'))
    }
    return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain' } })
  }

  async function receive(request: Request, body: Uint8Array): Promise<Response> {
    const signature = request.headers.get('x-hub-signature-256')
    if (!signature) return json(401, errorBody('signature_missing', 'X-Hub-Signature-256 is required'))
    if (!isValidSignature(config.appSecret, body, signature)) {
      return json(403, errorBody('signature_invalid', 'The signature does not match the body'))
    }
    let payload: WebhookPayload
    try {
      payload = JSON.parse(new TextDecoder().decode(body)) as WebhookPayload
    } catch {
      return json(400, errorBody('malformed_body', 'The body is not JSON'))
    }
    // Meta wants a fast 200 and retries otherwise; the answers go out through the Graph API later.
    const work = inbound
      .receive(payload)
      .catch((error) => deps.log.error('whatsapp delivery failed', { error }))
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
    return json(200, { received: true })
  }

  return {
    /** Handles GET (handshake) and POST (deliveries); `body` is the raw bytes of a POST. */
    handle(request: Request, body: Uint8Array): Promise<Response> | Response {
      if (request.method === 'GET') return verifySubscription(new URL(request.url))
      if (request.method === 'POST') return receive(request, body)
      return json(405, errorBody('method_not_allowed', 'Use GET or POST'))
    },
    /** Resolves when every accepted delivery has been processed (tests, shutdown). */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight])
    },
  }
}

export type WhatsAppWebhook = ReturnType<typeof createWhatsAppWebhook>
