/** A WebSocket test client that records every message it receives. */
export interface SocketClient {
  ws: WebSocket
  messages: Record<string, unknown>[]
  /** Resolves once open; rejects when the upgrade is refused. */
  opened: Promise<void>
  closed: Promise<{ code: number; reason: string }>
  /** The first message (already received or still to come) that matches, or throws after `timeoutMs`. */
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>
  send(message: unknown): void
}

/** Opens `ws://127.0.0.1:<port>/ws?<query>` with the given upgrade headers (Cookie, Origin…). */
export function connectSocket(
  port: number,
  query: string,
  headers: Record<string, string> = {},
): SocketClient {
  const messages: Record<string, unknown>[] = []
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?${query}`, { headers } as never)
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })),
  )
  ws.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))))
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve())
    ws.addEventListener('error', () => reject(new Error('refused')))
  })
  // A refusal some tests expect must not surface as an unhandled rejection.
  opened.catch(() => {})
  const next = async (predicate: (message: Record<string, unknown>) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const found = messages.find(predicate)
      if (found) return found
      await Bun.sleep(10)
    }
    throw new Error(`no matching message; got ${JSON.stringify(messages).slice(0, 500)}`)
  }
  return { ws, messages, opened, closed, next, send: (message) => ws.send(JSON.stringify(message)) }
}
