import { describe, expect, it } from 'bun:test'
import { createOrganization, getOrganization, slugify, updateOrganization } from './organizations.ts'
import { appDatabaseForTests, appErrorOf, systemActor } from './testing.ts'

const handle = appDatabaseForTests()

const create = (organization: Parameters<typeof createOrganization>[1]['organization']) =>
  createOrganization(handle.db, { organization, actor: systemActor })

describe('slugify', () => {
  it.each([
    ['PH Torre Pacífica', 'ph-torre-pacifica'],
    ['  Residencial   Los Ángeles #2 ', 'residencial-los-angeles-2'],
  ])('%p → %p', (name, slug) => {
    expect(slugify(name)).toBe(slug)
  })
})

describe('createOrganization', () => {
  it('stores the legal details with Panamanian defaults', async () => {
    const created = await create({
      name: 'PH Vista Mar',
      legalName: 'PH Vista Mar S.A.',
      taxId: '155-1-2022',
    })
    expect(created).toMatchObject({
      slug: 'ph-vista-mar',
      legalName: 'PH Vista Mar S.A.',
      taxId: '155-1-2022',
      timeZone: 'America/Panama',
      language: 'es',
    })
  })

  it('answers 409 naming the slug when it is taken', async () => {
    await create({ name: 'PH Duplicado' })
    const error = await appErrorOf(() => create({ name: 'PH Duplicado' }))
    expect([error.status, error.code, error.details]).toEqual([409, 'already_exists', { field: 'slug' }])
  })

  it.each([
    ['an unknown time zone', { name: 'PH A', timeZone: 'America/Atlantis' }, 'timeZone'],
    ['a language other than es or en', { name: 'PH B', language: 'fr' as 'es' }, 'language'],
    ['a malformed locale', { name: 'PH C', locale: 'not a locale!' }, 'locale'],
    ['a blank name', { name: '  ' }, 'name'],
    ['a malformed slug', { name: 'PH D', slug: 'Mi PH!' }, 'slug'],
  ])('answers 422 for %s', async (_name, organization, field) => {
    const error = await appErrorOf(() => create(organization))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field })]])
  })
})

describe('getOrganization', () => {
  it('returns null for an unknown id', async () => {
    expect(await getOrganization(handle.db, { organizationId: crypto.randomUUID() })).toBeNull()
  })
})

describe('updateOrganization', () => {
  it('changes only the given fields and clears a field set to null', async () => {
    const created = await create({ name: 'PH Cambios', address: 'Calle 50' })
    const updated = await updateOrganization(handle.db, {
      organizationId: created.id,
      changes: { timeZone: 'America/Bogota', address: null, language: 'en' },
      actor: systemActor,
    })
    expect(updated).toMatchObject({
      name: 'PH Cambios',
      timeZone: 'America/Bogota',
      address: null,
      language: 'en',
    })
  })

  it('answers 404 for an unknown PH', async () => {
    const error = await appErrorOf(() =>
      updateOrganization(handle.db, {
        organizationId: crypto.randomUUID(),
        changes: { name: 'X' },
        actor: systemActor,
      }),
    )
    expect(error.status).toBe(404)
  })
})
