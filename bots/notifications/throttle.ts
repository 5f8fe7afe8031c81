import type { Bus } from '../../core/bus/types.ts'

/** Time as the sender sees it; tests pass a fake one that advances when slept on. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = { now: () => Date.now(), sleep: (ms) => Bun.sleep(ms) }

export interface ThrottleLimits {
  /** Messages per second to all chats of the platform. */
  perSecond: number
  /** Least time between two messages to one chat. */
  perChatIntervalMs: number
}

/**
 * A platform's send budget, kept in the bus so every sender process shares it: a counter per
 * second for the global rate, and the next allowed time per chat.
 */
export function createSendThrottle(bus: Bus, name: string, limits: ThrottleLimits) {
  return {
    /** 0 when a message to `chatId` may go now (and is counted), else how many ms to wait. */
    async reserve(chatId: string, now: number): Promise<number> {
      const chatKey = `bots:throttle:${name}:chat:${chatId}`
      const nextForChat = Number((await bus.get(chatKey)) ?? 0)
      if (nextForChat > now) return nextForChat - now
      const sent = await bus.incr(`bots:throttle:${name}:second:${Math.floor(now / 1000)}`, 5000)
      if (sent > limits.perSecond) return 1000 - (now % 1000)
      await bus.set(chatKey, String(now + limits.perChatIntervalMs), limits.perChatIntervalMs + 5000)
      return 0
    },
  }
}

export type SendThrottle = ReturnType<typeof createSendThrottle>
