import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { readMessage, type SmtpSink, startSmtpSink } from '../../../../../../core/mail/smtp-sink.ts'
import { people, users } from '../../../../../../db/schema/index.ts'
import { withPlatformScope } from '../../../../../../db/tenant.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../../motions/_testing.ts'

/* Reminders through a real SMTP conversation (a tiny SMTP sink stands in for the relay). */

let sink: SmtpSink
let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
const emails: Record<string, string> = {}

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createMotionTestApp({ SMTP_URL: sink.url })
  ph = await t.createPh()
  // Each person gets the email of their own account (people are linked to accounts by it).
  await withPlatformScope(t.services.db, async (tx) => {
    for (const [voter, key] of [
      [ph.owners['1A'], '1A'],
      [ph.holder, 'holder'],
      [ph.owners['3A'], '3A'],
    ] as const) {
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, voter.userId))
      emails[key] = user!.email
      await tx.update(people).set({ email: user!.email }).where(eq(people.id, voter.personId))
    }
  })
}, SETUP_TIMEOUT_MS)
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
}, SETUP_TIMEOUT_MS)

const remind = (user = ph.admin) =>
  t.send('POST', ph.path(`/assemblies/${ph.assemblyId}/board/remind`), undefined, user)
const sentTo = (email: string) => sink.messages.filter((message) => message.to.includes(email))

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/board/remind', () => {
  it('answers 409 no_open_motion while nothing is open', async () => {
    const reply = await remind()
    expect(reply.status).toBe(409)
    expect(reply.body.error.code).toBe('no_open_motion')
  })

  it('emails those present who have not voted, once per person with their units, and logs it', async () => {
    const motionId = await t.createMotion(ph, { title: 'Pintar la fachada' })
    await t.openMotion(ph, motionId)
    expect((await t.vote(ph, motionId, ph.holder, [{ unit: '2A', options: ['yes'] }])).status).toBe(200)
    const reply = await remind()
    expect(reply.status).toBe(200)
    // 1A (present, email) and the holder for 2B; 1B has no email; 3A is absent; 2A voted.
    expect(reply.body.sent).toBe(2)
    expect(reply.body.skipped.map((p: { personId: string }) => p.personId)).toEqual([
      ph.owners['1B'].personId,
    ])
    expect(sentTo(emails['3A']!)).toHaveLength(0)
    const holderMail = readMessage(sentTo(emails.holder!)[0]!.raw)
    expect(holderMail.subject).toContain('Pintar la fachada')
    expect(holderMail.text).toContain('2B')
    expect(holderMail.text).not.toContain('2A')
    expect(holderMail.text).toContain(`/vote?organization=${ph.organizationId}`)
    const log = await t.send('GET', ph.path('/mail-log'), undefined, ph.admin)
    const reminders = log.body.deliveries.filter((row: { kind: string }) => row.kind === 'vote_reminder')
    expect(reminders).toHaveLength(2)
    await t.closeMotion(ph, motionId)
  })

  it('is refused to owners', async () => {
    expect((await remind(ph.owners['1A'])).status).toBe(403)
  })
})
