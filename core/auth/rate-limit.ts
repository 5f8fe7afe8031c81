import type { Bus } from '../bus/types.ts'
import { AppError } from '../errors.ts'

export interface RateLimitResult {
  allowed: boolean
  /** Seconds until a request would be allowed again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number
  remaining: number
}

/**
 * Sliding-window limiter (the two-window approximation): the current fixed window's count plus the
 * previous window's count weighted by how much of it still overlaps the sliding window. Counters
 * live in the bus (Redis in production), so every process shares them.
 */
export function createRateLimiter(bus: Bus, options: { name: string; limit: number; windowMs: number }) {
  const { name, limit, windowMs } = options
  return {
    async hit(subject: string, now = Date.now()): Promise<RateLimitResult> {
      const window = Math.floor(now / windowMs)
      const elapsed = (now % windowMs) / windowMs
      const key = (w: number) => `ratelimit:${name}:${subject}:${w}`
      const previous = Number((await bus.get(key(window - 1))) ?? 0)
      const weightedPrevious = previous * (1 - elapsed)
      // Count first, decide after: the increment is atomic, so concurrent requests cannot all slip
      // under the limit (refused attempts count too, which is what throttling wants).
      const count = await bus.incr(key(window), windowMs * 2)
      if (count + weightedPrevious > limit) {
        const untilNext = windowMs - (now % windowMs)
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(untilNext / 1000)), remaining: 0 }
      }
      return {
        allowed: true,
        retryAfterSeconds: 0,
        remaining: Math.max(0, Math.floor(limit - count - weightedPrevious)),
      }
    },
    async reset(subject: string, now = Date.now()): Promise<void> {
      const window = Math.floor(now / windowMs)
      await bus.del(`ratelimit:${name}:${subject}:${window}`)
      await bus.del(`ratelimit:${name}:${subject}:${window - 1}`)
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>

/** The 429 for a refused request, with Retry-After. */
export function tooManyRequests(retryAfterSeconds: number, what = 'requests'): AppError {
  return new AppError(
    429,
    'too_many_requests',
    `Too many ${what}; try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  )
}

/** Counts a request against the limiter; throws the 429 when it is over the limit. */
export async function assertWithinRateLimit(
  limiter: RateLimiter,
  subject: string,
  what?: string,
): Promise<void> {
  const verdict = await limiter.hit(subject)
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, what)
}
