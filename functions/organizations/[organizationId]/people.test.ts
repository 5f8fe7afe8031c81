import { beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { phForTests, type RosterPh } from './_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

const { t, ph } = phForTests({}, (app) => app.createRosterPh())
let owners: RosterPh['owners']

beforeAll(() => {
  ;({ owners } = ph)
})

const names = (body: { people: { fullName: string }[] }) => body.people.map((person) => person.fullName)

describe('GET /api/organizations/:organizationId/people', () => {
  it('lists the people of the PH by name to the check-in staff', async () => {
    // A PH of its own: other tests of this file add and rename people (random order).
    const fresh = await t.createRosterPh()
    const res = await t.send('GET', fresh.path('/people'), undefined, fresh.staff)
    expect(res.status).toBe(200)
    expect(names(res.body)).toEqual(['Ana Pérez', 'Bruno Díaz', 'Carla Ruiz', 'Diego Soto', 'Elena Vega'])
  })

  it('finds people by part of their name or email', async () => {
    const fresh = await t.createRosterPh()
    const byName = await t.send('GET', fresh.path('/people?search=ruiz'), undefined, fresh.staff)
    const byEmail = await t.send('GET', fresh.path('/people?search=diego@'), undefined, fresh.staff)
    expect([names(byName.body), names(byEmail.body)]).toEqual([['Carla Ruiz'], ['Diego Soto']])
  })

  it('says for each person what keeps them in the PH, so deletion is offered only when it can succeed', async () => {
    const fresh = await t.createRosterPh()
    const created = await t.send('POST', fresh.path('/people'), { fullName: 'Zoila Sin Unidad' }, fresh.admin)
    const res = await t.send('GET', fresh.path('/people'), undefined, fresh.admin)
    const usageOf = (name: string) =>
      res.body.people.find((person: { fullName: string }) => person.fullName === name)?.usage
    expect([usageOf('Ana Pérez'), usageOf('Zoila Sin Unidad')]).toEqual([
      { ownerships: 1, proxies: 0 },
      { ownerships: 0, proxies: 0 },
    ])
    // What the list promises is what DELETE does.
    const kept = await t.send('DELETE', fresh.path(`/people/${fresh.owners['101']}`), undefined, fresh.admin)
    const gone = await t.send('DELETE', fresh.path(`/people/${created.body.id}`), undefined, fresh.admin)
    expect([kept.status, gone.status]).toEqual([409, 200])
  })

  it('does not let an owner list the people of the PH', async () => {
    const owner = await t.signInAs(owners['101']!)
    const res = await t.send('GET', ph.path('/people'), undefined, owner)
    expect(res.status).toBe(403)
  })
})

describe('POST /api/organizations/:organizationId/people', () => {
  it('creates a person with the phone in E.164 and the email in lower case', async () => {
    const res = await t.send(
      'POST',
      ph.path('/people'),
      {
        fullName: '  Fabián Mora ',
        email: 'Fabian@Example.com',
        phone: '6555-1234',
        documentId: '8-888-888',
      },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      fullName: 'Fabián Mora',
      email: 'fabian@example.com',
      phone: '+50765551234',
      documentId: '8-888-888',
      hasAccount: false,
    })
  })

  it.each([
    ['an email that is not one', { fullName: 'X', email: 'no-es-correo' }, 'email'],
    ['a phone without a country', { fullName: 'X', phone: '12' }, 'phone'],
    ['no name', { email: 'x@example.com' }, 'body.fullName'],
  ])('answers 422 naming the field for %s', async (_name, body, field) => {
    const res = await t.send('POST', ph.path('/people'), body, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })

  it('does not let check-in staff create people', async () => {
    const res = await t.send('POST', ph.path('/people'), { fullName: 'Colado' }, ph.staff)
    expect(res.status).toBe(403)
  })
})

describe('GET, PATCH and DELETE /api/organizations/:organizationId/people/:personId', () => {
  it('shows a person to the check-in staff', async () => {
    const res = await t.send('GET', ph.path(`/people/${owners['103']}`), undefined, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: owners['103'], fullName: 'Carla Ruiz', email: 'carla@example.com' })
  })

  it('answers 404 for a person of no PH', async () => {
    const res = await t.send('GET', ph.path(`/people/${crypto.randomUUID()}`), undefined, ph.admin)
    expect(res.status).toBe(404)
  })

  it('changes the given fields and clears those sent as null', async () => {
    const res = await t.send(
      'PATCH',
      ph.path(`/people/${owners['104']}`),
      { phone: '+1 415 555 0100', email: null },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ fullName: 'Diego Soto', phone: '+14155550100', email: null })
  })

  it('deletes a person who owns nothing', async () => {
    const created = await t.send('POST', ph.path('/people'), { fullName: 'De Paso' }, ph.admin)
    const res = await t.send('DELETE', ph.path(`/people/${created.body.id}`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect((await t.send('GET', ph.path(`/people/${created.body.id}`), undefined, ph.admin)).status).toBe(404)
  })

  it('answers 409 when deleting an owner', async () => {
    const res = await t.send('DELETE', ph.path(`/people/${owners['105']}`), undefined, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'person_in_use', details: { ownerships: 1 } })
  })
})
