import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { readMessage, type SmtpSink, startSmtpSink } from '../../../core/mail/smtp-sink.ts'
import { createPhTestApp, ROSTER_CSV, type TestPh } from './_testing.ts'

/* Invitations by email through a real SMTP conversation (a tiny SMTP sink stands in for the relay). */

let sink: SmtpSink
let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: TestPh

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createPhTestApp({ SMTP_URL: sink.url })
  ph = await t.createPh()
  const roster = `${ROSTER_CSV.replace('105;F-105;10;', '105;F-105;5;')}\n106;F-106;5;Sin Correo;;;sí`
  await t.sendRaw(
    'POST',
    ph.path('/units/import?mode=replace'),
    roster,
    { 'content-type': 'text/csv' },
    ph.admin,
  )
}, 30_000)
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
})

const sentTo = (email: string) => sink.messages.filter((message) => message.to.includes(email))

describe('POST /api/organizations/:organizationId/invitations', () => {
  it('invites every owner with an email, explains the platform and links to sign-in', async () => {
    // Other tests of this file may run first (random order) and invite some owners already.
    const invitationsLogged = async () =>
      (await t.send('GET', ph.path('/mail-log'), undefined, ph.admin)).body.deliveries.filter(
        (row: { kind: string }) => row.kind === 'invitation',
      ).length
    const before = await invitationsLogged()
    const res = await t.send('POST', ph.path('/invitations'), { allOwners: true }, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body.sent).toBe(5)
    expect(res.body.skipped.map((person: { fullName: string }) => person.fullName)).toEqual(['Sin Correo'])
    const mail = readMessage(sentTo('ana@example.com').at(-1)!.raw)
    expect(mail.subject).toContain('invitación a Asamblea 2.0')
    expect(mail.text).toContain('Hola Ana Pérez:')
    expect(mail.text).toContain('como propietario')
    expect(mail.text).toContain(`${t.services.config.publicUrl.replace(/\/$/, '')}/sign-in`)
    expect(await invitationsLogged()).toBe(before + 5)
  })

  it('invites one owner by person id', async () => {
    const people = (await t.send('GET', ph.path('/people?search=Bruno'), undefined, ph.admin)).body.people
    const before = sentTo('bruno@example.com').length
    const res = await t.send('POST', ph.path('/invitations'), { personIds: [people[0].id] }, ph.admin)
    expect(res.body.sent).toBe(1)
    expect(sentTo('bruno@example.com')).toHaveLength(before + 1)
  })

  it('answers 422 naming personIds when nobody is named', async () => {
    const res = await t.send('POST', ph.path('/invitations'), {}, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('body.personIds')
  })

  it('refuses desk staff', async () => {
    expect((await t.send('POST', ph.path('/invitations'), { allOwners: true }, ph.staff)).status).toBe(403)
  })

  it('emails a new co-administrator an invitation when the role is granted', async () => {
    const res = await t.send(
      'POST',
      ph.path('/members'),
      { email: 'coadmin@example.com', role: 'ph_admin' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    const mail = readMessage(sentTo('coadmin@example.com')[0]!.raw)
    expect(mail.text).toContain('como administrador del PH')
  })
})
