import type { AssemblySnapshot } from '../../../core/assemblies/live-snapshot.ts'
import type { TopicMessage } from '../../../realtime/hub.ts'

export type { AssemblySnapshot, MotionView } from '../../../core/assemblies/live-snapshot.ts'

export type LiveStatus = 'connecting' | 'live' | 'offline'

export interface LiveOptions {
  /** Unset for a read-only tally link: the server subscribes it to the link's assembly. */
  assemblyId?: string
  /** A fresh WebSocket URL for each attempt (tickets last a minute). */
  url: () => Promise<string>
  onSnapshot: (snapshot: AssemblySnapshot) => void
  onStatus: (status: LiveStatus) => void
  /** A server error message (e.g. not_found, forbidden). */
  onError?: (code: string) => void
  /** Opens the socket (tests pass a fake); default the browser's WebSocket. */
  openSocket?: (url: string) => WebSocket
  /** Shortest wait before reconnecting, ms (doubles per failure up to 30 s, with jitter). */
  retryMs?: number
}

type ServerMessage =
  | TopicMessage
  | { type: 'hello'; readOnly: boolean; heartbeatSeconds: number }
  | { type: 'pong'; at: number }
  | { type: 'error'; code: string; message?: string }
  | { type: string }

/** Applies a delta to a snapshot (motions replaced by id, new ones appended, removed ones dropped). */
export function applyDelta(
  snapshot: AssemblySnapshot,
  delta: Extract<TopicMessage, { type: 'delta' }>,
): AssemblySnapshot {
  const next: AssemblySnapshot = { ...snapshot, motions: [...snapshot.motions] }
  if (delta.changes.assembly) next.assembly = delta.changes.assembly
  if (delta.changes.quorum) next.quorum = delta.changes.quorum
  if (delta.changes.speakers) next.speakers = delta.changes.speakers
  if (delta.changes.quorumTrend) next.quorumTrend = delta.changes.quorumTrend
  for (const motion of delta.changes.motions ?? []) {
    const index = next.motions.findIndex((item) => item.id === motion.id)
    if (index >= 0) next.motions[index] = motion
    else next.motions.push(motion)
  }
  if (delta.removed?.length) next.motions = next.motions.filter((m) => !delta.removed?.includes(m.id))
  return next
}

/**
 * Keeps one assembly's live state over the realtime WebSocket: subscribes, applies numbered deltas,
 * asks for a resync on a gap, pings, and reconnects by itself (backoff with jitter, at once when the
 * network or the tab comes back).
 */
export function connectLive(options: LiveOptions): { close(): void; resync(): void } {
  let socket: WebSocket | null = null
  let snapshot: AssemblySnapshot | null = null
  let seq = 0
  let attempt = 0
  let closed = false
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let pingTimer: ReturnType<typeof setInterval> | undefined
  let lastMessageAt = 0
  let heartbeatMs = 25_000

  const send = (message: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message))
  }
  const resync = () => send({ type: 'resync', assemblyId: options.assemblyId ?? snapshot?.assembly.id })

  function scheduleReconnect(): void {
    clearInterval(pingTimer)
    if (closed || retryTimer) return
    options.onStatus('offline')
    const delay = Math.min(30_000, (options.retryMs ?? 1000) * 2 ** attempt) * (0.5 + Math.random() / 2)
    attempt += 1
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void open()
    }, delay)
  }

  function handle(message: ServerMessage): void {
    switch (message.type) {
      case 'hello': {
        const hello = message as Extract<ServerMessage, { type: 'hello' }>
        heartbeatMs = (hello.heartbeatSeconds || 25) * 1000
        // A read-only tally link is subscribed by the server itself.
        if (!hello.readOnly && options.assemblyId) send({ type: 'subscribe', assemblyId: options.assemblyId })
        clearInterval(pingTimer)
        pingTimer = setInterval(() => {
          if (Date.now() - lastMessageAt > heartbeatMs * 2.5) socket?.close()
          else send({ type: 'ping' })
        }, heartbeatMs)
        return
      }
      case 'snapshot': {
        const full = message as Extract<TopicMessage, { type: 'snapshot' }>
        snapshot = full.data
        seq = full.seq
        attempt = 0
        options.onStatus('live')
        options.onSnapshot(snapshot)
        return
      }
      case 'delta': {
        const delta = message as Extract<TopicMessage, { type: 'delta' }>
        if (!snapshot || delta.seq <= seq) return
        if (delta.seq !== seq + 1) {
          resync()
          return
        }
        seq = delta.seq
        snapshot = applyDelta(snapshot, delta)
        options.onSnapshot(snapshot)
        return
      }
      case 'error':
        options.onError?.((message as { code: string }).code)
        return
    }
  }

  async function open(): Promise<void> {
    if (closed) return
    options.onStatus('connecting')
    let url: string
    try {
      url = await options.url()
    } catch {
      scheduleReconnect()
      return
    }
    const ws = options.openSocket ? options.openSocket(url) : new WebSocket(url)
    socket = ws
    ws.addEventListener('message', (event) => {
      lastMessageAt = Date.now()
      try {
        handle(JSON.parse(String(event.data)) as ServerMessage)
      } catch {
        // A malformed message is ignored; the next snapshot or delta repairs the state.
      }
    })
    ws.addEventListener('open', () => {
      lastMessageAt = Date.now()
    })
    ws.addEventListener('close', () => {
      if (socket === ws) {
        socket = null
        scheduleReconnect()
      }
    })
  }

  const reconnectNow = () => {
    if (closed || (socket && socket.readyState <= WebSocket.OPEN)) return
    clearTimeout(retryTimer)
    retryTimer = undefined
    attempt = 0
    void open()
  }
  globalThis.addEventListener?.('online', reconnectNow)
  globalThis.document?.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') reconnectNow()
  })

  void open()
  return {
    resync,
    close() {
      closed = true
      clearTimeout(retryTimer)
      clearInterval(pingTimer)
      socket?.close()
    },
  }
}

/** The WebSocket URL for a signed-in user: a one-minute ticket from the API. */
export async function ticketUrl(): Promise<string> {
  const response = await fetch('/api/realtime/ticket', { method: 'POST', credentials: 'same-origin' })
  if (response.status === 401) {
    location.assign(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`)
    throw new Error('unauthenticated')
  }
  if (!response.ok) throw new Error(`ticket: HTTP ${response.status}`)
  const { url } = (await response.json()) as { url: string }
  return url
}

/** The realtime endpoint the server wrote into the page, else /ws on this host (behind nginx). */
export function realtimeBase(): string {
  const configured = document.querySelector<HTMLMetaElement>('meta[name="assembly-realtime"]')?.content
  if (configured) return configured
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
}
