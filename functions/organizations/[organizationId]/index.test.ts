import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createTestUser } from '../../../core/services-testing.ts'
import { createPhTestApp, ROSTER_CSV, type TestPh } from './_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: TestPh

beforeAll(async () => {
  t = await createPhTestApp()
  ph = await t.createPh(ROSTER_CSV)
})
afterAll(() => t.services.close())

describe('GET /api/organizations/:organizationId', () => {
  it('shows the PH to an owner', async () => {
    // A PH of its own: another test of this file renames the shared one (random order).
    const fresh = await t.createPh(ROSTER_CSV)
    const owner = await t.signInAs((await t.ownersByUnit(fresh))['102']!)
    const res = await t.send('GET', fresh.path(''), undefined, owner)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: fresh.organizationId,
      name: 'PH Prueba',
      timeZone: 'America/Panama',
    })
  })

  it('answers 404 to a signed-in user with no role in the PH', async () => {
    const outsider = await createTestUser(t.services)
    const res = await t.send('GET', ph.path(''), undefined, outsider)
    expect(res.status).toBe(404)
  })
})

describe('PATCH /api/organizations/:organizationId', () => {
  it('changes the given fields and clears those sent as null', async () => {
    await t.send('PATCH', ph.path(''), { legalName: 'PH Prueba, S.A.' }, ph.admin)
    const res = await t.send(
      'PATCH',
      ph.path(''),
      { name: 'PH Torre Norte', legalName: null, language: 'en' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'PH Torre Norte', legalName: null, language: 'en' })
    expect((await t.send('GET', ph.path(''), undefined, ph.admin)).body.name).toBe('PH Torre Norte')
  })

  it('refuses check-in staff', async () => {
    const res = await t.send('PATCH', ph.path(''), { name: 'Otro nombre' }, ph.staff)
    expect(res.status).toBe(403)
  })

  it('answers 409 for a slug another PH has', async () => {
    const other = await t.createPh()
    const taken = (await t.send('GET', other.path(''), undefined, other.admin)).body.slug
    const res = await t.send('PATCH', ph.path(''), { slug: taken }, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'already_exists', details: { field: 'slug' } })
  })

  it.each([
    ['an unknown time zone', { timeZone: 'America/Atlantis' }, 'timeZone'],
    ['a language other than es or en', { language: 'fr' }, 'body.language'],
    ['no field at all', {}, 'body'],
  ])('answers 422 naming the field for %s', async (_name, body, field) => {
    const res = await t.send('PATCH', ph.path(''), body, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })
})
