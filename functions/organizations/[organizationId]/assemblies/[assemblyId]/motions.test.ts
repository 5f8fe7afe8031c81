import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { NEVER_MET_RULE } from '../../../../../core/motions/testing.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
let otherPh: Ph

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  otherPh = await t.createPh()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const create = (body: unknown, as: Ph['admin'] = ph.admin, assemblyId = ph.assemblyId) =>
  t.send('POST', ph.path(`/assemblies/${assemblyId}/motions`), body, as)

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/motions', () => {
  it('creates a draft with yes / no / abstain in the PH’s language and the simple majority', async () => {
    const res = await create({ title: '  Elegir la junta directiva  ' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      assemblyId: ph.assemblyId,
      title: 'Elegir la junta directiva',
      status: 'draft',
      choiceMode: 'single',
      secret: false,
      requiresQuorum: true,
      majorityRule: { preset: 'simple' },
      openedAt: null,
    })
    expect(res.body.options.map((o: { label: string }) => o.label)).toEqual(['Sí', 'No', 'Abstención'])
  })

  it('takes a preset name as the majority rule', async () => {
    const res = await create({ title: 'Reformar el reglamento', majorityRule: 'two-thirds' })
    expect(res.body.majorityRule).toMatchObject({
      preset: 'two-thirds',
      threshold: { numerator: 2, denominator: 3, strict: false },
    })
  })

  it('takes a custom rule, options and a position', async () => {
    const majorityRule = {
      base: 'units',
      denominator: 'present',
      threshold: { numerator: 3, denominator: 5, strict: true },
      abstentionsCount: false,
      eligibleOnly: true,
    }
    const options = [
      { key: 'a', label: 'Empresa A', kind: 'choice' },
      { key: 'b', label: 'Empresa B', kind: 'choice' },
    ]
    const res = await create({
      title: 'Elegir la administradora',
      majorityRule,
      options,
      secret: true,
      position: 7,
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ majorityRule, options, secret: true, position: 7 })
  })

  it.each([
    ['an unknown preset', { title: 'X', majorityRule: 'most' }, 'majorityRule'],
    [
      'a threshold that can never be met',
      { title: 'X', majorityRule: NEVER_MET_RULE },
      'majorityRule.threshold',
    ],
    ['no title', { description: 'Sin título' }, 'body.title'],
    [
      'an option key with capitals',
      { title: 'X', options: [{ key: 'Yes', label: 'Sí', kind: 'yes' }] },
      'body.options.0.key',
    ],
    ['multiple choice on a yes/no motion', { title: 'X', choiceMode: 'multiple' }, 'choiceMode'],
    ['an agenda item of no assembly', { title: 'X', agendaItemId: crypto.randomUUID() }, 'agendaItemId'],
    ['a position of 0', { title: 'X', position: 0 }, 'body.position'],
  ])('answers 422 naming the field for %s', async (_name, body, field) => {
    const res = await create(body)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })

  it('refuses an owner with 403', async () => {
    const res = await create({ title: 'X' }, ph.owners['1A'])
    expect(res.status).toBe(403)
  })

  it('answers 404 for an assembly of another PH', async () => {
    const res = await create({ title: 'X' }, ph.admin, otherPh.assemblyId)
    expect(res.status).toBe(404)
  })
})

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/motions', () => {
  it('lists the motions in agenda order to an owner', async () => {
    const fresh = await t.createPh()
    await t.createMotion(fresh, { title: 'Segunda', position: 2 })
    await t.createMotion(fresh, { title: 'Primera', position: 1 })
    const res = await t.send(
      'GET',
      fresh.path(`/assemblies/${fresh.assemblyId}/motions`),
      undefined,
      fresh.owners['1A'],
    )
    expect(res.status).toBe(200)
    expect(res.body.motions.map((m: { title: string }) => m.title)).toEqual(['Primera', 'Segunda'])
  })

  it('answers 404 for an assembly of another PH', async () => {
    const res = await t.send('GET', ph.path(`/assemblies/${otherPh.assemblyId}/motions`), undefined, ph.admin)
    expect(res.status).toBe(404)
  })

  it('answers 404 to a signed-in user who is not a member', async () => {
    const res = await t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/motions`), undefined, ph.outsider)
    expect(res.status).toBe(404)
  })
})
