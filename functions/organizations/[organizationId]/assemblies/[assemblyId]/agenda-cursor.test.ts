import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { loadAssemblySnapshot } from '../../../../../core/assemblies/live-snapshot.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

/* The current agenda item (issue #13 part 5): the administrator moves it, the live snapshot carries it. */

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
let items: { id: string; title: string }[]

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  const agendaPath = ph.path(`/assemblies/${ph.assemblyId}/agenda`)
  await t.send('POST', agendaPath, { title: 'Informe de la junta' }, ph.admin)
  items = (await t.send('POST', agendaPath, { title: 'Presupuesto 2027' }, ph.admin)).body.items
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const move = (itemId: string | null, user = ph.admin) =>
  t.send('PUT', ph.path(`/assemblies/${ph.assemblyId}/agenda-cursor`), { itemId }, user)

describe('PUT /api/organizations/:organizationId/assemblies/:assemblyId/agenda-cursor', () => {
  it('moves the meeting to an item, which the live snapshot shows, and back to none', async () => {
    const reply = await move(items[1]!.id)
    expect(reply.status).toBe(200)
    expect(reply.body.current).toEqual({ id: items[1]!.id, position: 2, title: 'Presupuesto 2027' })
    const snapshot = await loadAssemblySnapshot(t.services.db, ph.organizationId, ph.assemblyId)
    expect(snapshot?.assembly.agendaItem).toEqual({ position: 2, title: 'Presupuesto 2027' })
    expect((await move(null)).body.current).toBeNull()
    const cleared = await loadAssemblySnapshot(t.services.db, ph.organizationId, ph.assemblyId)
    expect(cleared?.assembly.agendaItem).toBeNull()
  })

  it('answers 404 for an item of another assembly and 403 to an owner', async () => {
    const other = await t.createPh()
    const foreign = (
      await t.send(
        'POST',
        other.path(`/assemblies/${other.assemblyId}/agenda`),
        { title: 'Ajeno' },
        other.admin,
      )
    ).body.items[0].id
    expect((await move(foreign)).status).toBe(404)
    expect((await move(items[0]!.id, ph.owners['1A'])).status).toBe(403)
    const bad = await move('nope')
    expect(bad.status).toBe(422)
  })
})
