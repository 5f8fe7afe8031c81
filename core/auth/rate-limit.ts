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
 *
 * A refused `hit` is not counted: a client that keeps retrying while limited (an open tab, a room
 * full of phones) does not keep the subject locked beyond the window. Guess limiters use `peek`
 * before the work and `count` only for failures (attempts, not requests).
 */
export function createRateLimiter(bus: Bus, options: { name: string; limit: number; windowMs: number }) {
  const { name, windowMs } = options
  const key = (subject: string, w: number) => `ratelimit:${name}:${subject}:${w}`
  const usage = async (subject: string, now: number) => {
    const window = Math.floor(now / windowMs)
    const elapsed = (now % windowMs) / windowMs
    const previous = Number((await bus.get(key(subject, window - 1))) ?? 0)
    const current = Number((await bus.get(key(subject, window))) ?? 0)
    return { window, weightedPrevious: previous * (1 - elapsed), current }
  }
  const refused = (now: number): RateLimitResult => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000)),
    remaining: 0,
  })
  return {
    /** Counts a request when it is allowed; a refused one is not counted. */
    async hit(subject: string, now = Date.now(), limit = options.limit): Promise<RateLimitResult> {
      const { window, weightedPrevious, current } = await usage(subject, now)
      if (current + weightedPrevious + 1 > limit) return refused(now)
      // The increment is atomic: requests racing past the read above are still held to the limit
      // (those few are counted although refused).
      const count = await bus.incr(key(subject, window), windowMs * 2)
      if (count + weightedPrevious > limit) return refused(now)
      return {
        allowed: true,
        retryAfterSeconds: 0,
        remaining: Math.max(0, Math.floor(limit - count - weightedPrevious)),
      }
    },
    /** Whether one more would be allowed, without counting anything. */
    async peek(subject: string, now = Date.now(), limit = options.limit): Promise<RateLimitResult> {
      const { weightedPrevious, current } = await usage(subject, now)
      if (current + weightedPrevious + 1 > limit) return refused(now)
      return {
        allowed: true,
        retryAfterSeconds: 0,
        remaining: Math.max(0, Math.floor(limit - current - weightedPrevious)),
      }
    },
    /** Counts one event (e.g. a wrong code) whatever the total. */
    async count(subject: string, now = Date.now()): Promise<void> {
      await bus.incr(key(subject, Math.floor(now / windowMs)), windowMs * 2)
    },
    async reset(subject: string, now = Date.now()): Promise<void> {
      const window = Math.floor(now / windowMs)
      await bus.del(key(subject, window))
      await bus.del(key(subject, window - 1))
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
  limit?: number,
): Promise<void> {
  const verdict = await limiter.hit(subject, Date.now(), limit)
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, what)
}
