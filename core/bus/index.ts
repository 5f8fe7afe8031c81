import { createMemoryBus } from './memory.ts'
import { createRedisBus } from './redis.ts'
import type { Bus } from './types.ts'

export type { Bus, StreamEntry, Unsubscribe } from './types.ts'

/** Redis when a URL is configured, otherwise the in-process bus of the embedded default. */
export function openBus(options: {
  url: string | null
  prefix?: string
  onError?: (error: Error) => void
}): Bus {
  if (options.url)
    return createRedisBus({ url: options.url, prefix: options.prefix, onError: options.onError })
  return createMemoryBus()
}
