import { openBus } from './index.ts'
import type { Bus } from './types.ts'

/** A bus for one test file: real Redis under a unique key prefix when REDIS_URL is set. */
export function createTestBus(): Bus {
  const url = process.env.REDIS_URL ?? null
  const prefix = `test:${crypto.randomUUID().slice(0, 8)}:`
  const bus = openBus({ url, prefix })
  if (!url) return bus
  return {
    ...bus,
    close: async () => {
      const { default: Redis } = await import('ioredis')
      const admin = new Redis(url)
      let cursor = '0'
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
        cursor = next
        if (keys.length > 0) await admin.del(...keys)
      } while (cursor !== '0')
      await admin.quit()
      await bus.close()
    },
  }
}
