import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { type DatabaseHandle, rowsOf } from '../../db/client.ts'
import { organizations, otpCodes, people, users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import { loadConfig } from '../config.ts'
import { silentLogger } from '../log.ts'
import { appErrorOf } from '../ph/testing.ts'
import { createMailer, type Mailer } from './mailer.ts'
import { type OtpDeps, requestOtp, verifyOtp } from './otp.ts'
import { createRateLimiter } from './rate-limit.ts'

const auth = loadConfig({ APP_ENV: 'test' }).auth
const bus = createTestBus()
let handle: DatabaseHandle
let organizationId: string

// The first PGlite start in a process can take well over the default 5 s under load.
beforeAll(async () => {
  handle = await createTestDatabase()
  const [organization] = await handle.db
    .insert(organizations)
    .values({ slug: 'ph-otp', name: 'PH OTP' })
    .returning({ id: organizations.id })
  organizationId = organization!.id
}, 60_000)
afterAll(async () => {
  await bus.close()
  await handle.close()
})

let limiterCount = 0
/** Dependencies with their own mailbox and limiters (generous unless a test sets them). */
function deps(
  limits: { email?: number; codes?: number; ip?: number; guessEmail?: number; guessIp?: number } = {},
  authConfig = auth,
): OtpDeps & { mailer: Mailer } {
  limiterCount += 1
  const limiter = (name: string, limit: number) =>
    createRateLimiter(bus, { name: `${name}-${limiterCount}`, limit, windowMs: 60_000 })
  return {
    db: handle.db,
    auth: authConfig,
    log: silentLogger,
    mailer: createMailer({ smtpUrl: null, from: 'x' }, silentLogger),
    limiters: {
      authEmail: limiter('otp-email', limits.email ?? 1000),
      authCodes: limiter('otp-codes', limits.codes ?? 1000),
      authIp: limiter('otp-ip', limits.ip ?? 1000),
      guessEmail: limiter('otp-guess-email', limits.guessEmail ?? 1000),
      guessIp: limiter('otp-guess-ip', limits.guessIp ?? 1000),
    },
  }
}

let personCount = 0
/** A person of the PH with this email (or a fresh one): the address is known, no user exists yet. */
async function knownEmail(email?: string): Promise<string> {
  personCount += 1
  const address = email ?? `owner${personCount}-${crypto.randomUUID().slice(0, 8)}@example.org`
  await handle.db.insert(people).values({ organizationId, fullName: `Owner ${personCount}`, email: address })
  return address
}

const unknownEmail = () => `nobody-${crypto.randomUUID().slice(0, 8)}@example.org`
let ipCount = 0
/** A client address of its own (IPv6 documentation range), so per-IP limits never collide. */
const ip = () => `2001:db8::${(++ipCount).toString(16)}`

/** The code in the newest message to `email`, or null when none was sent. */
function codeSentTo(mailer: Mailer, email: string): string | null {
  const message = mailer.recent().find((mail) => mail.to === email)
  return message?.text.match(/\b(\d{6})\b/)?.[1] ?? null
}

/** Requests a code for a known address and returns what the user would have in hand. */
async function requestCode(d = deps(), email?: string) {
  const address = await knownEmail(email)
  const { attempt } = await requestOtp(d, { email: address, ip: ip() })
  const code = codeSentTo(d.mailer, address)
  if (!code) throw new Error('no code was mailed')
  return { d, email: address, attempt, code }
}

/** A different code of the same shape. */
const wrong = (code: string) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`

describe('requestOtp', () => {
  it('mails a 6-digit code to a known address', async () => {
    const d = deps()
    const email = await knownEmail()
    const answer = await requestOtp(d, { email, ip: ip() })
    expect(answer.expiresInSeconds).toBe(auth.otpTtlMs / 1000)
    expect(answer.attempt.length * 5).toBeGreaterThanOrEqual(160)
    expect(codeSentTo(d.mailer, email)).toMatch(/^\d{6}$/)
  })

  it('mails in English when asked', async () => {
    const d = deps()
    const email = await knownEmail()
    await requestOtp(d, { email, ip: ip(), language: 'en' })
    expect(d.mailer.recent()[0]?.subject).toStartWith('Your sign-in code')
  })

  it('mails nothing to an unknown address, and answers in the same shape', async () => {
    const d = deps()
    const known = await requestOtp(d, { email: await knownEmail(), ip: ip() })
    const email = unknownEmail()
    const unknown = await requestOtp(d, { email, ip: ip() })
    expect(d.mailer.recent().filter((mail) => mail.to === email)).toEqual([])
    expect(Object.keys(unknown).sort()).toEqual(Object.keys(known).sort())
    expect(unknown.expiresInSeconds).toBe(known.expiresInSeconds)
    expect(unknown.attempt).toHaveLength(known.attempt.length)
    // A decoy code is stored (same database work as for a known address, so timing tells nothing),
    // but it was never sent to anyone.
    expect(await handle.db.select().from(otpCodes).where(eq(otpCodes.email, email))).toHaveLength(1)
  })

  it('matches the address whatever its case and surrounding spaces', async () => {
    const d = deps()
    const email = await knownEmail()
    await requestOtp(d, { email: `  ${email.toUpperCase()} `, ip: ip() })
    expect(codeSentTo(d.mailer, email)).toMatch(/^\d{6}$/)
  })

  it('stores the code only as a hash', async () => {
    const { email, code, attempt } = await requestCode()
    const [row] = await handle.db.select().from(otpCodes).where(eq(otpCodes.email, email))
    expect(row?.codeHash).toHaveLength(32)
    expect(row?.attemptHash).toHaveLength(32)
    const [stored] = rowsOf<{ text: string }>(
      await handle.db.execute(
        sql`select row_to_json(otp_codes)::text as text from otp_codes where id = ${row!.id}`,
      ),
    )
    expect(stored?.text).not.toContain(code)
    expect(stored?.text).not.toContain(attempt)
    expect(Buffer.from(row!.codeHash).toString('latin1')).not.toContain(code)
  })

  it('throttles code requests per email and client address with 429 and a Retry-After', async () => {
    const d = deps({ email: 2 })
    const email = await knownEmail()
    const address = ip()
    await requestOtp(d, { email, ip: address })
    await requestOtp(d, { email, ip: address })
    const error = await appErrorOf(() => requestOtp(d, { email, ip: address }))
    expect(error.status).toBe(429)
    expect(Number(error.headers?.['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(await appErrorOf(() => requestOtp(d, { email: email.toUpperCase(), ip: address }))).toMatchObject({
      status: 429,
    })
    // Requests for this address from elsewhere (an attacker) did not use up the owner's own.
    const owner = await requestOtp(d, { email, ip: ip() })
    expect(owner.attempt).toEqual(expect.any(String))
  })

  it('caps the codes sent to one address from all client addresses, naming the other ways in', async () => {
    const d = deps({ codes: 3 })
    const email = await knownEmail()
    for (let i = 0; i < 3; i++) await requestOtp(d, { email, ip: ip() })
    const error = await appErrorOf(() => requestOtp(d, { email, ip: ip() }))
    expect(error).toMatchObject({ status: 429, code: 'too_many_codes' })
    expect(error.message).toContain('passkey')
    expect(d.mailer.recent().filter((mail) => mail.to === email)).toHaveLength(3)
  })

  it('does not let requests for an address kill the code its owner is typing (first minute)', async () => {
    const owner = await requestCode()
    // Someone else asks for codes for the owner's address from other addresses, right after.
    for (let i = 0; i < 3; i++) await requestOtp(owner.d, { email: owner.email, ip: ip() })
    expect(await verifyOtp(owner.d, owner)).toMatchObject({ userId: expect.any(String) })
  })

  it('throttles per IP across addresses, known or not, with 429 and a Retry-After', async () => {
    const d = deps({ ip: 2 })
    const address = ip()
    await requestOtp(d, { email: await knownEmail(), ip: address })
    await requestOtp(d, { email: unknownEmail(), ip: address })
    const error = await appErrorOf(async () => requestOtp(d, { email: await knownEmail(), ip: address }))
    expect(error.status).toBe(429)
    expect(error.headers?.['retry-after']).toMatch(/^[1-9]\d*$/)
    await requestOtp(d, { email: await knownEmail(), ip: ip() })
  })

  it('mails no code once throttled', async () => {
    const d = deps({ email: 1 })
    const email = await knownEmail()
    const address = ip()
    await requestOtp(d, { email, ip: address })
    await appErrorOf(() => requestOtp(d, { email, ip: address }))
    expect(d.mailer.recent().filter((mail) => mail.to === email)).toHaveLength(1)
  })

  it('raises the per-address ceiling for a configured trusted network only', async () => {
    const trusted = loadConfig({ APP_ENV: 'test', AUTH_TRUSTED_NETWORKS: '198.51.100.0/24' }).auth
    const d = deps({ ip: 2 }, trusted)
    for (let i = 0; i < 5; i++) await requestOtp(d, { email: unknownEmail(), ip: '198.51.100.9' })
    await requestOtp(d, { email: unknownEmail(), ip: '192.0.2.9' })
    await requestOtp(d, { email: unknownEmail(), ip: '192.0.2.9' })
    expect(await appErrorOf(() => requestOtp(d, { email: unknownEmail(), ip: '192.0.2.9' }))).toMatchObject({
      status: 429,
    })
  })
})

describe('verifyOtp', () => {
  it('accepts the mailed code with the attempt that requested it', async () => {
    const { d, email, attempt, code } = await requestCode()
    expect(await verifyOtp(d, { email, attempt, code })).toMatchObject({ userId: expect.any(String) })
  })

  it('refuses the right code presented with another attempt token', async () => {
    const { d, email, attempt, code } = await requestCode()
    const other = (await requestOtp(d, { email: unknownEmail(), ip: ip() })).attempt
    expect(await appErrorOf(() => verifyOtp(d, { email, attempt: other, code }))).toMatchObject({
      status: 400,
      code: 'invalid_code',
    })
    expect(await verifyOtp(d, { email, attempt, code })).toMatchObject({ userId: expect.any(String) })
  })

  it('refuses the right code and attempt for another address', async () => {
    const { d, attempt, code } = await requestCode()
    const other = await knownEmail()
    expect(await appErrorOf(() => verifyOtp(d, { email: other, attempt, code }))).toMatchObject({
      code: 'invalid_code',
    })
  })

  it('accepts a code once only', async () => {
    const { d, email, attempt, code } = await requestCode()
    await verifyOtp(d, { email, attempt, code })
    expect(await appErrorOf(() => verifyOtp(d, { email, attempt, code }))).toMatchObject({
      status: 400,
      code: 'invalid_code',
    })
  })

  it('lets only one of three simultaneous verifications of the same code through', async () => {
    const { d, email, attempt, code } = await requestCode()
    const results = await Promise.allSettled([1, 2, 3].map(() => verifyOtp(d, { email, attempt, code })))
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
  })

  it('counts down wrong tries and kills the code after the fifth, even for the right code', async () => {
    const { d, email, attempt, code } = await requestCode()
    const remaining: unknown[] = []
    for (let i = 0; i < auth.otpMaxAttempts; i++) {
      const error = await appErrorOf(() => verifyOtp(d, { email, attempt, code: wrong(code) }))
      remaining.push(error.code === 'invalid_code' ? error.details : error.code)
    }
    expect(auth.otpMaxAttempts).toBe(5)
    expect(remaining).toEqual([
      { remainingAttempts: 4 },
      { remainingAttempts: 3 },
      { remainingAttempts: 2 },
      { remainingAttempts: 1 },
      'too_many_attempts',
    ])
    expect(await appErrorOf(() => verifyOtp(d, { email, attempt, code }))).toMatchObject({
      code: 'invalid_code',
    })
  })

  it('still accepts the right code after fewer than five wrong tries', async () => {
    const { d, email, attempt, code } = await requestCode()
    for (let i = 0; i < auth.otpMaxAttempts - 1; i++) {
      await appErrorOf(() => verifyOtp(d, { email, attempt, code: wrong(code) }))
    }
    expect(await verifyOtp(d, { email, attempt, code })).toMatchObject({ userId: expect.any(String) })
  })

  it('refuses an expired code', async () => {
    const { d, email, attempt, code } = await requestCode()
    await handle.db
      .update(otpCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(otpCodes.email, email))
    expect(await appErrorOf(() => verifyOtp(d, { email, attempt, code }))).toMatchObject({
      status: 400,
      code: 'code_expired',
    })
  })

  it('expires a code after the configured time', async () => {
    const { email } = await requestCode()
    const [row] = await handle.db.select().from(otpCodes).where(eq(otpCodes.email, email))
    const ttl = row!.expiresAt.getTime() - row!.createdAt.getTime()
    expect(Math.abs(ttl - auth.otpTtlMs)).toBeLessThan(5000)
  })

  it('invalidates a previous code over a minute old when a new one is requested', async () => {
    const first = await requestCode()
    const { email, d } = first
    await handle.db
      .update(otpCodes)
      .set({ createdAt: sql`now() - interval '61 seconds'` })
      .where(eq(otpCodes.email, email))
    const { attempt } = await requestOtp(d, { email, ip: ip() })
    const code = codeSentTo(d.mailer, email)!
    expect(
      await appErrorOf(() => verifyOtp(d, { email, attempt: first.attempt, code: first.code })),
    ).toMatchObject({
      code: 'invalid_code',
    })
    expect(await verifyOtp(d, { email, attempt, code })).toMatchObject({ userId: expect.any(String) })
  })

  it('throttles wrong codes per email, yet every fresh code keeps its first try', async () => {
    const d = deps({ guessEmail: 3 })
    const email = await knownEmail()
    const guesser = ip()
    const first = await requestOtp(d, { email, ip: guesser })
    const firstCode = codeSentTo(d.mailer, email)!
    for (let i = 0; i < 3; i++) {
      await appErrorOf(() =>
        verifyOtp(d, { email, attempt: first.attempt, code: wrong(firstCode), ip: guesser }),
      )
    }
    const refused = await appErrorOf(() =>
      verifyOtp(d, { email, attempt: first.attempt, code: firstCode, ip: guesser }),
    )
    expect(refused).toMatchObject({ status: 429 })
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThanOrEqual(1)
    // The owner, with a code of their own, is not locked out by the guesser.
    const owner = await requestOtp(d, { email, ip: ip() })
    const code = codeSentTo(d.mailer, email)!
    expect(await verifyOtp(d, { email, attempt: owner.attempt, code })).toMatchObject({
      userId: expect.any(String),
    })
  })

  it('throttles wrong codes per client address across emails, counting only wrong ones', async () => {
    const d = deps({ guessIp: 2 })
    const sprayer = ip()
    for (let i = 0; i < 2; i++) {
      const target = await requestCode(d)
      await appErrorOf(() => verifyOtp(d, { ...target, code: wrong(target.code), ip: sprayer }))
    }
    const next = await requestCode(d)
    expect(await appErrorOf(() => verifyOtp(d, { ...next, ip: sprayer }))).toMatchObject({ status: 429 })
    // Right codes from a room that made no mistakes are never refused.
    const room = ip()
    for (let i = 0; i < 5; i++) {
      const owner = await requestCode(d)
      expect(await verifyOtp(d, { ...owner, ip: room })).toMatchObject({ userId: expect.any(String) })
    }
  })

  it('creates the user on the first sign-in and links every PH record with that email', async () => {
    const email = `linked-${crypto.randomUUID().slice(0, 8)}@example.org`
    const [otherOrganization] = await handle.db
      .insert(organizations)
      .values({ slug: `ph-${crypto.randomUUID().slice(0, 8)}`, name: 'PH Two' })
      .returning({ id: organizations.id })
    const [here, there, stranger] = await handle.db
      .insert(people)
      .values([
        { organizationId, fullName: 'Ana Pérez', email },
        { organizationId: otherOrganization!.id, fullName: 'Ana Pérez', email: email.toUpperCase() },
        { organizationId, fullName: 'Someone Else', email: unknownEmail() },
      ])
      .returning({ id: people.id })
    const d = deps()
    const { attempt } = await requestOtp(d, { email, ip: ip() })
    const code = codeSentTo(d.mailer, email)!

    const result = await verifyOtp(d, { email, attempt, code })

    expect(result.created).toBe(true)
    const [user] = await handle.db.select().from(users).where(eq(users.id, result.userId))
    expect(user).toMatchObject({ email, displayName: 'Ana Pérez' })
    const linked = await handle.db.select({ id: people.id, userId: people.userId }).from(people)
    const userOf = (id: string) => linked.find((person) => person.id === id)?.userId
    expect([userOf(here!.id), userOf(there!.id), userOf(stranger!.id)]).toEqual([
      result.userId,
      result.userId,
      null,
    ])
  })

  it('finds the existing user on a later sign-in', async () => {
    const first = await requestCode()
    const { userId } = await verifyOtp(first.d, first)
    const { attempt } = await requestOtp(first.d, { email: first.email, ip: ip() })
    const code = codeSentTo(first.d.mailer, first.email)!
    expect(await verifyOtp(first.d, { email: first.email, attempt, code })).toEqual({
      userId,
      created: false,
    })
  })
})

describe('sign-in timing', () => {
  it('runs the same statements for a user, a person without an account and an unknown address', async () => {
    const statements: string[] = []
    const recorded = await createTestDatabase({ onQuery: (query) => statements.push(query) })
    try {
      const [org] = await recorded.db
        .insert(organizations)
        .values({ slug: 'ph-timing', name: 'PH timing' })
        .returning({ id: organizations.id })
      const userEmail = `user-${crypto.randomUUID().slice(0, 8)}@example.org`
      const personEmail = `person-${crypto.randomUUID().slice(0, 8)}@example.org`
      await recorded.db.insert(users).values({ email: userEmail })
      await recorded.db
        .insert(people)
        .values({ organizationId: org!.id, fullName: 'Ana', email: personEmail })
      const runFor = async (email: string) => {
        statements.length = 0
        await requestOtp({ ...deps(), db: recorded.db }, { email, ip: ip() })
        return [...statements]
      }
      const forUser = await runFor(userEmail)
      const forPerson = await runFor(personEmail)
      const forNobody = await runFor(unknownEmail())
      expect(forUser.length).toBeGreaterThan(2)
      expect(forPerson).toEqual(forUser)
      expect(forNobody).toEqual(forUser)
    } finally {
      await recorded.close()
    }
  })

  it('finds people and users by address through an index on lower(email), not a scan', async () => {
    const indexes = rowsOf<{ tablename: string; indexdef: string }>(
      await handle.db.execute(
        sql`select tablename, indexdef from pg_indexes where tablename in ('people', 'users')`,
      ),
    )
    for (const table of ['people', 'users']) {
      expect(indexes.some((row) => row.tablename === table && /\(lower\(email\)\)/.test(row.indexdef))).toBe(
        true,
      )
    }
  })
})
