import type { Bus, ReadGroupOptions, StreamEntry } from './types.ts'

interface Group {
  /** Index in the stream of the next entry never delivered to this group. */
  cursor: number
  pending: Map<string, { consumer: string; deliveredAt: number }>
}

interface Stream {
  entries: StreamEntry[]
  lastMs: number
  lastSeq: number
  groups: Map<string, Group>
  waiters: Set<() => void>
}

/**
 * In-process Bus for the embedded default (one process, no Redis). Same semantics as the Redis
 * implementation for everything the interface promises; nothing survives a restart.
 */
export interface MemoryBus extends Bus {
  /** Appends synchronously, so callers can make several steps atomic (see core/votes/queue.ts). */
  streamAddSync(stream: string, fields: Record<string, string>): string
  /** Reads a key synchronously, for the same reason. */
  valueSync(key: string): string | null
}

export function createMemoryBus(): MemoryBus {
  const values = new Map<string, { value: string; expiresAt: number | null }>()
  const channels = new Map<string, Set<(message: string) => void>>()
  const streams = new Map<string, Stream>()
  let closed = false

  const live = (key: string) => {
    const entry = values.get(key)
    if (!entry) return null
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      values.delete(key)
      return null
    }
    return entry
  }
  const streamOf = (name: string): Stream => {
    let stream = streams.get(name)
    if (!stream) {
      stream = { entries: [], lastMs: 0, lastSeq: 0, groups: new Map(), waiters: new Set() }
      streams.set(name, stream)
    }
    return stream
  }
  const groupOf = (stream: Stream, name: string, group: string): Group => {
    const found = stream.groups.get(group)
    if (!found) throw new Error(`NOGROUP no such consumer group '${group}' for stream '${name}'`)
    return found
  }
  const indexOf = (stream: Stream, id: string) => stream.entries.findIndex((entry) => entry.id === id)

  const streamAddSync = (name: string, fields: Record<string, string>) => {
    const stream = streamOf(name)
    const now = Date.now()
    if (now > stream.lastMs) {
      stream.lastMs = now
      stream.lastSeq = 0
    } else {
      stream.lastSeq += 1
    }
    const id = `${stream.lastMs}-${stream.lastSeq}`
    stream.entries.push({ id, fields: { ...fields } })
    for (const wake of stream.waiters) wake()
    return id
  }

  return {
    kind: 'memory',
    streamAddSync,
    valueSync: (key) => live(key)?.value ?? null,
    ping: async () => !closed,
    close: async () => {
      closed = true
      for (const stream of streams.values()) for (const wake of stream.waiters) wake()
    },

    get: async (key) => live(key)?.value ?? null,
    set: async (key, value, ttlMs) => {
      values.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : null })
    },
    setIfAbsent: async (key, value, ttlMs) => {
      if (live(key)) return false
      values.set(key, { value, expiresAt: Date.now() + ttlMs })
      return true
    },
    take: async (key) => {
      const entry = live(key)
      values.delete(key)
      return entry?.value ?? null
    },
    del: async (key) => {
      values.delete(key)
    },
    incr: async (key, ttlMs) => {
      const entry = live(key)
      const next = (entry ? Number(entry.value) : 0) + 1
      values.set(key, {
        value: String(next),
        expiresAt: entry ? entry.expiresAt : ttlMs ? Date.now() + ttlMs : null,
      })
      return next
    },
    ttl: async (key) => {
      const entry = live(key)
      if (!entry || entry.expiresAt === null) return null
      return Math.max(0, entry.expiresAt - Date.now())
    },

    publish: async (channel, message) => {
      // Delivered asynchronously, like Redis, so publishers never run subscriber code inline.
      for (const handler of channels.get(channel) ?? []) queueMicrotask(() => handler(message))
    },
    subscribe: async (channel, handler) => {
      let handlers = channels.get(channel)
      if (!handlers) {
        handlers = new Set()
        channels.set(channel, handlers)
      }
      handlers.add(handler)
      return async () => {
        handlers.delete(handler)
      }
    },

    streamAdd: async (name, fields) => streamAddSync(name, fields),
    streamLength: async (name) => streams.get(name)?.entries.length ?? 0,
    ensureGroup: async (name, group) => {
      const stream = streamOf(name)
      if (!stream.groups.has(group)) stream.groups.set(group, { cursor: 0, pending: new Map() })
    },
    readGroup: async (name, group, consumer, options: ReadGroupOptions) => {
      const stream = streamOf(name)
      const state = groupOf(stream, name, group)
      const take = () => {
        const batch = stream.entries.slice(state.cursor, state.cursor + options.count)
        state.cursor += batch.length
        const now = Date.now()
        for (const entry of batch) state.pending.set(entry.id, { consumer, deliveredAt: now })
        return batch.map((entry) => ({ id: entry.id, fields: { ...entry.fields } }))
      }
      const ready = take()
      if (ready.length > 0 || options.blockMs <= 0 || closed) return ready
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer)
          stream.waiters.delete(wake)
          resolve()
        }
        const timer = setTimeout(wake, options.blockMs)
        stream.waiters.add(wake)
      })
      return take()
    },
    ack: async (name, group, ids) => {
      const state = groupOf(streamOf(name), name, group)
      let count = 0
      for (const id of ids) if (state.pending.delete(id)) count += 1
      return count
    },
    pendingCount: async (name, group) => groupOf(streamOf(name), name, group).pending.size,
    trimAcknowledged: async (name, group) => {
      const stream = streamOf(name)
      const state = groupOf(stream, name, group)
      // Keep everything from the oldest pending entry, or from the first undelivered one.
      let keepFrom = state.cursor
      for (const id of state.pending.keys()) keepFrom = Math.min(keepFrom, indexOf(stream, id))
      if (keepFrom <= 0) return 0
      stream.entries.splice(0, keepFrom)
      for (const other of stream.groups.values()) other.cursor = Math.max(0, other.cursor - keepFrom)
      return keepFrom
    },
    claimStale: async (name, group, consumer, minIdleMs, count) => {
      const stream = streamOf(name)
      const state = groupOf(stream, name, group)
      const now = Date.now()
      const claimed: StreamEntry[] = []
      for (const [id, owner] of state.pending) {
        if (claimed.length >= count) break
        if (now - owner.deliveredAt < minIdleMs) continue
        const entry = stream.entries[indexOf(stream, id)]
        if (!entry) continue
        state.pending.set(id, { consumer, deliveredAt: now })
        claimed.push({ id, fields: { ...entry.fields } })
      }
      return claimed
    },
  }
}
