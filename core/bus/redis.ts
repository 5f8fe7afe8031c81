import Redis from 'ioredis'
import type { Bus, StreamEntry } from './types.ts'

export interface RedisBusOptions {
  url: string
  /** Prefix for every key, stream and channel (isolates tests and installations). */
  prefix?: string
  onError?: (error: Error) => void
}

type RawEntry = [id: string, fields: string[]]

function toEntries(raw: RawEntry[] | null | undefined): StreamEntry[] {
  if (!raw) return []
  return raw.flatMap(([id, flat]) => {
    if (!flat) return [] // entry deleted from the stream while pending
    const fields: Record<string, string> = {}
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!
    return [{ id, fields }]
  })
}

/**
 * Bus on Redis: commands on one connection, subscriptions on a second one (Redis requires a
 * dedicated connection in subscriber mode), blocking stream reads on a third so they never
 * delay other commands.
 */
export interface RedisBus extends Bus {
  /** The command connection, for atomic scripts beyond the Bus interface (core/votes/queue.ts). */
  readonly client: Redis
  readonly prefix: string
}

export function createRedisBus(options: RedisBusOptions): RedisBus {
  const prefix = options.prefix ?? ''
  // Auto-pipelining sends the commands issued in one event-loop turn as one write (many concurrent
  // votes: one round trip instead of one each); order on the connection is kept.
  const connect = (autoPipelining = false) => {
    const client = new Redis(options.url, {
      maxRetriesPerRequest: null,
      lazyConnect: false,
      enableAutoPipelining: autoPipelining,
    })
    client.on('error', (error) => options.onError?.(error))
    return client
  }
  const commands = connect(true)
  const blocking = connect()
  let subscriber: Redis | null = null
  const handlers = new Map<string, Set<(message: string) => void>>()
  const k = (key: string) => prefix + key

  const subscriberConnection = () => {
    if (subscriber) return subscriber
    subscriber = connect()
    subscriber.on('message', (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler(message)
    })
    return subscriber
  }

  return {
    kind: 'redis',
    client: commands,
    prefix,
    ping: async () => {
      try {
        return (await commands.ping()) === 'PONG'
      } catch {
        return false
      }
    },
    close: async () => {
      const clients = [commands, blocking, subscriber].filter((client): client is Redis => client !== null)
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())))
    },

    get: (key) => commands.get(k(key)),
    set: async (key, value, ttlMs) => {
      if (ttlMs) await commands.set(k(key), value, 'PX', ttlMs)
      else await commands.set(k(key), value)
    },
    setIfAbsent: async (key, value, ttlMs) => (await commands.set(k(key), value, 'PX', ttlMs, 'NX')) === 'OK',
    take: (key) => commands.getdel(k(key)),
    del: async (key) => {
      await commands.del(k(key))
    },
    incr: async (key, ttlMs) => {
      const [[, value]] = (await commands.multi().incr(k(key)).exec()) as [[Error | null, number]]
      if (ttlMs && value === 1) await commands.pexpire(k(key), ttlMs)
      return value
    },
    ttl: async (key) => {
      const ms = await commands.pttl(k(key))
      return ms < 0 ? null : ms
    },

    publish: async (channel, message) => {
      await commands.publish(k(channel), message)
    },
    subscribe: async (channel, handler) => {
      const name = k(channel)
      let set = handlers.get(name)
      if (!set) {
        set = new Set()
        handlers.set(name, set)
        await subscriberConnection().subscribe(name)
      }
      set.add(handler)
      return async () => {
        set.delete(handler)
        if (set.size === 0) {
          handlers.delete(name)
          await subscriber?.unsubscribe(name)
        }
      }
    },

    streamAdd: async (stream, fields) => {
      const id = await commands.xadd(k(stream), '*', ...Object.entries(fields).flat())
      return id as string
    },
    streamLength: (stream) => commands.xlen(k(stream)),
    ensureGroup: async (stream, group) => {
      try {
        await commands.xgroup('CREATE', k(stream), group, '0', 'MKSTREAM')
      } catch (error) {
        if (!String(error).includes('BUSYGROUP')) throw error
      }
    },
    readGroup: async (stream, group, consumer, { count, blockMs }) => {
      const client = blockMs > 0 ? blocking : commands
      const args = ['GROUP', group, consumer, 'COUNT', count] as const
      const reply = (
        blockMs > 0
          ? await client.xreadgroup(...args, 'BLOCK', blockMs, 'STREAMS', k(stream), '>')
          : await client.xreadgroup(...args, 'STREAMS', k(stream), '>')
      ) as [string, RawEntry[]][] | null
      return toEntries(reply?.[0]?.[1])
    },
    ack: (stream, group, ids) =>
      ids.length === 0 ? Promise.resolve(0) : commands.xack(k(stream), group, ...ids),
    pendingCount: async (stream, group) => {
      const [count] = (await commands.xpending(k(stream), group)) as [number]
      return count
    },
    trimAcknowledged: async (stream, group) => {
      const [pending, oldest] = (await commands.xpending(k(stream), group)) as [number, string | null]
      let keepFrom = pending > 0 ? oldest : null
      if (!keepFrom) {
        const groups = (await commands.xinfo('GROUPS', k(stream))) as unknown[][]
        const info = groups.map((row) => {
          const fields: Record<string, unknown> = {}
          for (let i = 0; i < row.length; i += 2) fields[String(row[i])] = row[i + 1]
          return fields
        })
        const last = info.find((fields) => fields.name === group)?.['last-delivered-id']
        // Everything up to the last delivered entry is acknowledged; keep that one (MINID is exclusive below).
        keepFrom = typeof last === 'string' && last !== '0-0' ? last : null
      }
      if (!keepFrom) return 0
      return (await commands.xtrim(k(stream), 'MINID', keepFrom)) as number
    },
    claimStale: async (stream, group, consumer, minIdleMs, count) => {
      const reply = (await commands.xautoclaim(
        k(stream),
        group,
        consumer,
        minIdleMs,
        '0-0',
        'COUNT',
        count,
      )) as [string, RawEntry[]]
      return toEntries(reply[1])
    },
  }
}
