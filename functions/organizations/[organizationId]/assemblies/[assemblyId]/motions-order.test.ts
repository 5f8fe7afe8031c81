import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createMotionTestApp, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>

beforeAll(async () => {
  t = await createMotionTestApp()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/motions (agenda order)', () => {
  it('lists motions in the order of their agenda items, motions outside the agenda last', async () => {
    const other = await t.createPh()
    const agendaPath = other.path(`/assemblies/${other.assemblyId}/agenda`)
    await t.send('POST', agendaPath, { title: 'Presupuesto' }, other.admin)
    const agenda = await t.send('POST', agendaPath, { title: 'Fachada' }, other.admin)
    const [budget, facade] = agenda.body.items as { id: string }[]
    const loose = await t.createMotion(other, { title: 'Sin punto' })
    const onFacade = await t.createMotion(other, { title: 'Pintar', agendaItemId: facade!.id })
    const onBudget = await t.createMotion(other, { title: 'Aprobar', agendaItemId: budget!.id })
    const listed = await t.send(
      'GET',
      other.path(`/assemblies/${other.assemblyId}/motions`),
      undefined,
      other.admin,
    )
    expect(listed.body.motions.map((motion: { id: string }) => motion.id)).toEqual([
      onBudget,
      onFacade,
      loose,
    ])
  })
})
