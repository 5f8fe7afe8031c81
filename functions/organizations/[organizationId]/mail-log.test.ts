import { describe, expect, it } from 'bun:test'
import { createMailer } from '../../../core/auth/mailer.ts'
import { silentLogger } from '../../../core/log.ts'
import { sendLogged, sendManyLogged } from '../../../core/mail/deliveries.ts'
import { readMessage } from '../../../core/mail/smtp-sink.ts'
import { phWithMailSink } from './_testing.ts'

/*
 * Mail through a real SMTP conversation: a tiny SMTP server in the test takes the place of the relay.
 * The pooled transport retries a transient refusal, records a permanent one with the relay's error,
 * and every message to an owner lands in the PH's delivery log that the administrator reads.
 */

const world = phWithMailSink()

const mailer = (attempts = 3) =>
  createMailer({ smtpUrl: world.sink.url, from: 'PH <avisos@example.com>' }, silentLogger, {
    attempts,
    retryDelayMs: 10,
  })

type Logged = Parameters<typeof sendLogged>[1]

/** Sends one message in the test's PH through a mailer of its own (closed after), and its log row. */
async function sendOne(kind: Logged['kind'], message: Logged['message'], attempts = 3) {
  const m = mailer(attempts)
  const row = await sendLogged(
    { db: world.t.services.db, mailer: m },
    { organizationId: world.ph.organizationId, kind, message },
  )
  m.close()
  return row
}

describe('pooled SMTP with a delivery log', () => {
  it('delivers a message with accents the relay can read back', async () => {
    const before = world.sink.messages.length
    const row = await sendOne('notice', {
      to: 'ana@example.com',
      subject: 'Convocatoria: Asamblea ordinaria',
      text: 'Señora Pérez: salón de eventos.',
    })
    expect(row).toMatchObject({ status: 'accepted', attempts: 1, recipient: 'ana@example.com', error: null })
    const sunk = world.sink.messages[before]!
    expect(sunk.to).toEqual(['ana@example.com'])
    expect(readMessage(sunk.raw)).toMatchObject({
      subject: 'Convocatoria: Asamblea ordinaria',
      text: expect.stringContaining('Señora Pérez: salón de eventos.'),
    })
  })

  it('retries a transient refusal (421) and records the attempts', async () => {
    world.sink.refuseNext(2, 421)
    const row = await sendOne('reminder', { to: 'bruno@example.com', subject: 'Recordatorio', text: 'x' })
    expect(row).toMatchObject({ status: 'accepted', attempts: 3 })
  })

  it('records a permanent refusal (550) as failed with the relay error, without retrying', async () => {
    world.sink.refuseNext(1, 550)
    const row = await sendOne('notice', { to: 'nadie@example.com', subject: 'Aviso', text: 'x' })
    expect(row).toMatchObject({ status: 'failed', attempts: 1 })
    expect(row.error).toContain('550')
  })

  it('shows the log to the administrator, and only to them', async () => {
    // A PH of its own with one accepted and one refused message (tests run in any order).
    const logged = await world.t.createPh()
    const m = mailer(1)
    const send = (to: string) =>
      sendLogged(
        { db: world.t.services.db, mailer: m },
        {
          organizationId: logged.organizationId,
          kind: 'notice',
          message: { to, subject: 'Aviso', text: 'x' },
        },
      )
    await send('ana@example.com')
    world.sink.refuseNext(1, 550)
    await send('nadie@example.com')
    m.close()
    const res = await world.t.send('GET', logged.path('/mail-log'), undefined, logged.admin)
    expect(res.status).toBe(200)
    const statuses = res.body.deliveries.map(
      (row: { recipient: string; status: string }) => `${row.recipient}:${row.status}`,
    )
    expect(statuses).toContain('nadie@example.com:failed')
    expect(statuses).toContain('ana@example.com:accepted')
    expect((await world.t.send('GET', logged.path('/mail-log'), undefined, logged.staff)).status).toBe(403)
    const other = await world.t.createPh()
    const foreign = await world.t.send('GET', other.path('/mail-log'), undefined, other.admin)
    expect(foreign.body.deliveries).toEqual([])
  })

  it('sends a notice to 1,000 owners through the pool, every one logged once', async () => {
    const before = world.sink.messages.length
    const m = mailer()
    const started = performance.now()
    const rows = await sendManyLogged(
      { db: world.t.services.db, mailer: m },
      Array.from({ length: 1000 }, (_, n) => ({
        organizationId: world.ph.organizationId,
        kind: 'notice',
        message: { to: `owner${n}@example.com`, subject: 'Convocatoria', text: `Unidad ${n}` },
      })),
    )
    const seconds = (performance.now() - started) / 1000
    m.close()
    // A figure for the report, not an assertion (timing depends on the machine).
    console.info(`notice to 1,000 owners through the local SMTP world.sink: ${seconds.toFixed(2)} s`)
    expect(rows.every((row) => row.status === 'accepted')).toBe(true)
    expect(new Set(world.sink.messages.slice(before).map((message) => message.to[0])).size).toBe(1000)
  }, 120_000)
})
