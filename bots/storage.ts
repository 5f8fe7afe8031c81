import type { StorageAdapter } from 'grammy'
import type { Bus } from '../core/bus/types.ts'

/**
 * Key-value storage in the bus (Redis in production) with an expiry renewed on every write: grammY
 * sessions use it as their storage adapter, and the WhatsApp channel keeps its chat state in it too.
 */
export function createBusStorage<T>(bus: Bus, prefix: string, ttlMs: number): StorageAdapter<T> {
  return {
    read: async (key) => {
      const raw = await bus.get(prefix + key)
      return raw === null ? undefined : (JSON.parse(raw) as T)
    },
    write: (key, value) => bus.set(prefix + key, JSON.stringify(value), ttlMs),
    delete: (key) => bus.del(prefix + key),
  }
}
