import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import { type RateLimiter, tooManyRequests } from './rate-limit.ts'

/**
 * The sign-in limits, designed for a room: 500 owners signing in within 10 minutes from one public
 * address (the building's Wi-Fi or a carrier's NAT), while a sprayer or a guesser is stopped.
 *
 * - Guesses (wrong codes) are what is throttled: 5 per code, `guessLimitPerEmail` per address and
 *   `guessLimitPerIp` per client address. Requests that succeed cost nothing here.
 * - Once an address has used up its wrong guesses, every code still gets its first try: an attacker
 *   guessing at someone's address cannot lock that person out, and gains only one try per code,
 *   with codes themselves capped by `rateLimitCodesPerEmail`.
 * - Code requests are limited per address *and* client address (`rateLimitPerEmail`): requests from
 *   other addresses for the victim's email do not use up the victim's own.
 * - A per-client-address ceiling (`rateLimitPerIp`, raised to `rateLimitPerTrustedIp` for
 *   `trustedNetworks`) that a room does not reach but a spraying attacker does.
 * - A refused request is not counted (see createRateLimiter), so retries do not keep anyone locked.
 */
export interface SignInLimiters {
  /** Code requests per email and client address. */
  authEmail: RateLimiter
  /** Codes sent to one email, from all client addresses. */
  authCodes: RateLimiter
  /** Sign-in requests (code requests, passkey challenges and answers) per client address. */
  authIp: RateLimiter
  /** Wrong codes per email. */
  guessEmail: RateLimiter
  /** Wrong codes per client address. */
  guessIp: RateLimiter
}

/** How many times the normal ceilings a configured trusted network gets. */
const TRUSTED_FACTOR = 10

/** The raised per-client-address ceiling for a trusted network; undefined: the limiter's own. */
export function ipCeiling(auth: AuthConfig, ip: string): number | undefined {
  return auth.trustedNetworks.has(ip) ? auth.rateLimitPerTrustedIp : undefined
}

function guessCeiling(auth: AuthConfig, ip: string): number | undefined {
  return auth.trustedNetworks.has(ip) ? auth.guessLimitPerIp * TRUSTED_FACTOR : undefined
}

async function hitOrThrow(limiter: RateLimiter, subject: string, limit?: number): Promise<void> {
  const verdict = await limiter.hit(subject, Date.now(), limit)
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, 'sign-in requests')
}

/** Counts a sign-in request (passkey challenge or answer) against the client address's ceiling. */
export async function assertSignInRequest(
  limiters: Pick<SignInLimiters, 'authIp'>,
  auth: AuthConfig,
  ip: string,
): Promise<void> {
  await hitOrThrow(limiters.authIp, ip, ipCeiling(auth, ip))
}

/** Before a code is sent: the client address's ceiling, its requests for this email, codes to it. */
export async function assertMayRequestCode(
  limiters: SignInLimiters,
  auth: AuthConfig,
  input: { email: string; ip: string },
): Promise<void> {
  await hitOrThrow(limiters.authIp, input.ip, ipCeiling(auth, input.ip))
  await hitOrThrow(limiters.authEmail, `${input.email}|${input.ip}`)
  const codes = await limiters.authCodes.hit(input.email)
  if (!codes.allowed) {
    throw new AppError(
      429,
      'too_many_codes',
      `Too many codes were sent to this address; try again in ${codes.retryAfterSeconds} s, or sign in with a passkey or a code from the desk`,
      { retryAfterSeconds: codes.retryAfterSeconds },
      { 'retry-after': String(codes.retryAfterSeconds) },
    )
  }
}

/**
 * Before a code is checked. `firstTry`: this code has had no wrong answer yet; it is let through
 * even when the email has used up its wrong guesses (see above).
 */
export async function assertMayGuess(
  limiters: SignInLimiters,
  auth: AuthConfig,
  input: { email: string; ip: string | null; firstTry: boolean },
): Promise<void> {
  if (input.ip) {
    const verdict = await limiters.guessIp.peek(input.ip, Date.now(), guessCeiling(auth, input.ip))
    if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, 'wrong codes')
  }
  if (input.firstTry) return
  const verdict = await limiters.guessEmail.peek(input.email)
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, 'wrong codes')
}

/** Counts a wrong code against the email and the client address. */
export async function countWrongGuess(
  limiters: SignInLimiters,
  input: { email: string; ip: string | null },
): Promise<void> {
  await limiters.guessEmail.count(input.email)
  if (input.ip) await limiters.guessIp.count(input.ip)
}
