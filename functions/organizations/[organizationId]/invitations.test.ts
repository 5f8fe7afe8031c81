import { describe, expect, it } from 'bun:test'
import { readMessage } from '../../../core/mail/smtp-sink.ts'
import { phWithMailSink, ROSTER_CSV } from './_testing.ts'

/* Invitations by email through a real SMTP conversation (a tiny SMTP sink stands in for the relay). */

const world = phWithMailSink(
  `${ROSTER_CSV.replace('105;F-105;10;', '105;F-105;5;')}\n106;F-106;5;Sin Correo;;;sí`,
)

const sentTo = (email: string) => world.sink.messages.filter((message) => message.to.includes(email))

describe('POST /api/organizations/:organizationId/invitations', () => {
  it('invites every owner with an email, explains the platform and links to sign-in', async () => {
    // Other tests of this file may run first (random order) and invite some owners already.
    const invitationsLogged = async () =>
      (
        await world.t.send('GET', world.ph.path('/mail-log'), undefined, world.ph.admin)
      ).body.deliveries.filter((row: { kind: string }) => row.kind === 'invitation').length
    const before = await invitationsLogged()
    const res = await world.t.send('POST', world.ph.path('/invitations'), { allOwners: true }, world.ph.admin)
    expect(res.status).toBe(200)
    expect(res.body.sent).toBe(5)
    expect(res.body.skipped.map((person: { fullName: string }) => person.fullName)).toEqual(['Sin Correo'])
    const mail = readMessage(sentTo('ana@example.com').at(-1)!.raw)
    expect(mail.subject).toContain('invitación a Asamblea 2.0')
    expect(mail.text).toContain('Hola Ana Pérez:')
    expect(mail.text).toContain('como propietario')
    expect(mail.text).toContain(`${world.t.services.config.publicUrl.replace(/\/$/, '')}/sign-in`)
    expect(await invitationsLogged()).toBe(before + 5)
  })

  it('invites one owner by person id', async () => {
    const people = (
      await world.t.send('GET', world.ph.path('/people?search=Bruno'), undefined, world.ph.admin)
    ).body.people
    const before = sentTo('bruno@example.com').length
    const res = await world.t.send(
      'POST',
      world.ph.path('/invitations'),
      { personIds: [people[0].id] },
      world.ph.admin,
    )
    expect(res.body.sent).toBe(1)
    expect(sentTo('bruno@example.com')).toHaveLength(before + 1)
  })

  it('answers 422 naming personIds when nobody is named', async () => {
    const res = await world.t.send('POST', world.ph.path('/invitations'), {}, world.ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('body.personIds')
  })

  it('refuses desk staff', async () => {
    expect(
      (await world.t.send('POST', world.ph.path('/invitations'), { allOwners: true }, world.ph.staff)).status,
    ).toBe(403)
  })

  it('emails a new co-administrator an invitation when the role is granted', async () => {
    const res = await world.t.send(
      'POST',
      world.ph.path('/members'),
      { email: 'coadmin@example.com', role: 'ph_admin' },
      world.ph.admin,
    )
    expect(res.status).toBe(200)
    const mail = readMessage(sentTo('coadmin@example.com')[0]!.raw)
    expect(mail.text).toContain('como administrador del PH')
  })
})
