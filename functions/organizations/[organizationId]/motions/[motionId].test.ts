import { describe, expect, it } from 'bun:test'
import { motionPhForTests } from './_testing.ts'

const { t, ph } = motionPhForTests()

const motionPath = (motionId: string) => ph.path(`/motions/${motionId}`)

describe('GET /api/organizations/:organizationId/motions/:motionId', () => {
  it('shows a motion to an owner', async () => {
    const motionId = await t.createMotion(ph, { description: 'Presupuesto anual' })
    const res = await t.send('GET', motionPath(motionId), undefined, ph.owners['1B'])
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: motionId, description: 'Presupuesto anual', status: 'draft' })
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await t.send('GET', motionPath(crypto.randomUUID()), undefined, ph.owners['1B'])
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('answers 422 naming the field for a motion id that is no uuid', async () => {
    const res = await t.send('GET', motionPath('not-a-uuid'), undefined, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('params.motionId')
  })
})

describe('PATCH /api/organizations/:organizationId/motions/:motionId', () => {
  it('changes the fields sent and keeps the others', async () => {
    const motionId = await t.createMotion(ph, { description: 'Antes', secret: true })
    const res = await t.send(
      'PATCH',
      motionPath(motionId),
      { title: 'Nuevo título', majorityRule: 'absolute' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      title: 'Nuevo título',
      description: 'Antes',
      secret: true,
      majorityRule: { preset: 'absolute' },
    })
  })

  it('answers 422 for an empty change', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('PATCH', motionPath(motionId), {}, ph.admin)
    expect(res.status).toBe(422)
  })

  it('answers 409 motion_not_editable once the motion is open', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const res = await t.send('PATCH', motionPath(motionId), { title: 'Tarde' }, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_editable')
  })

  it('refuses an owner with 403', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('PATCH', motionPath(motionId), { title: 'Mío' }, ph.owners['1A'])
    expect(res.status).toBe(403)
  })
})

describe('DELETE /api/organizations/:organizationId/motions/:motionId', () => {
  it('deletes a draft', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('DELETE', motionPath(motionId), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ deleted: true })
    expect((await t.send('GET', motionPath(motionId), undefined, ph.admin)).status).toBe(404)
  })

  it('keeps an opened motion with 409 motion_not_editable', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const res = await t.send('DELETE', motionPath(motionId), undefined, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_editable')
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await t.send('DELETE', motionPath(crypto.randomUUID()), undefined, ph.admin)
    expect(res.status).toBe(404)
  })
})
