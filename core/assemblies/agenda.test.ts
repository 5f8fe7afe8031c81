import { describe, expect, it } from 'bun:test'
import { motions } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { getMajorityPreset } from '../rules/presets.ts'
import {
  addAgendaItem,
  deleteAgendaItem,
  listAgendaItems,
  reorderAgendaItems,
  updateAgendaItem,
} from './agenda.ts'
import { closeAssembly } from './lifecycle.ts'
import { appDatabaseForTests, appErrorOf, createAssemblyFixture, systemActor } from './testing.ts'

const handle = appDatabaseForTests()

const actor = systemActor

async function agendaOf(titles: string[], status: 'draft' | 'in_progress' = 'draft') {
  // A convened assembly has its agenda already (the notice needs one): the fixture adds the titles.
  const fixture = await createAssemblyFixture(handle.db, {
    units: [['1', '100', 'Ana']],
    status,
    agenda: titles,
  })
  const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
  if (status === 'draft')
    for (const title of titles) await addAgendaItem(handle.db, { ...ids, item: { title }, actor })
  return { ids, items: await listAgendaItems(handle.db, ids) }
}

const shape = (items: Array<{ position: number; title: string }>) =>
  items.map((item) => `${item.position}:${item.title}`)

describe('agenda items', () => {
  it('appends items in order', async () => {
    const { items } = await agendaOf(['Quórum', 'Informe', 'Presupuesto'])
    expect(shape(items)).toEqual(['1:Quórum', '2:Informe', '3:Presupuesto'])
  })

  it.each([
    [1, ['1:Nuevo', '2:A', '3:B', '4:C']],
    [2, ['1:A', '2:Nuevo', '3:B', '4:C']],
    [4, ['1:A', '2:B', '3:C', '4:Nuevo']],
  ])('inserts at position %p and shifts the rest', async (position, expected) => {
    const { ids } = await agendaOf(['A', 'B', 'C'])
    const items = await addAgendaItem(handle.db, { ...ids, item: { title: 'Nuevo' }, position, actor })
    expect(shape(items)).toEqual(expected)
  })

  it.each([[0], [5], [1.5]])('answers 422 for position %p', async (position) => {
    const { ids } = await agendaOf(['A', 'B', 'C'])
    const error = await appErrorOf(() =>
      addAgendaItem(handle.db, { ...ids, item: { title: 'X' }, position, actor }),
    )
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field: 'position' })]])
  })

  it('reorders the whole agenda', async () => {
    const { ids, items } = await agendaOf(['A', 'B', 'C'])
    const reordered = await reorderAgendaItems(handle.db, {
      ...ids,
      itemIds: [items[2]!.id, items[0]!.id, items[1]!.id],
      actor,
    })
    expect(shape(reordered)).toEqual(['1:C', '2:A', '3:B'])
  })

  it.each([
    ['an item missing', (ids: string[]) => ids.slice(1)],
    ['an item twice', (ids: string[]) => [ids[0]!, ids[0]!, ids[1]!]],
    ['an unknown item', (ids: string[]) => [ids[0]!, ids[1]!, crypto.randomUUID()]],
  ])('answers 422 when the new order has %s', async (_name, order) => {
    const { ids, items } = await agendaOf(['A', 'B', 'C'])
    const error = await appErrorOf(() =>
      reorderAgendaItems(handle.db, { ...ids, itemIds: order(items.map((i) => i.id)), actor }),
    )
    expect(error.status).toBe(422)
  })

  it('closes the gap when an item is deleted', async () => {
    const { ids, items } = await agendaOf(['A', 'B', 'C'])
    const remaining = await deleteAgendaItem(handle.db, { ...ids, itemId: items[0]!.id, actor })
    expect(shape(remaining)).toEqual(['1:B', '2:C'])
  })

  it('answers 409 when deleting an item with motions', async () => {
    const { ids, items } = await agendaOf(['A'])
    await withTenant(handle.db, ids.organizationId, (tx) =>
      tx.insert(motions).values({
        ...ids,
        agendaItemId: items[0]!.id,
        position: 1,
        title: 'Moción',
        options: [{ key: 'yes', label: 'Sí', kind: 'yes' }],
        majorityRule: getMajorityPreset('simple')!,
      }),
    )
    const error = await appErrorOf(() => deleteAgendaItem(handle.db, { ...ids, itemId: items[0]!.id, actor }))
    expect([error.status, error.code]).toEqual([409, 'agenda_item_has_motions'])
  })

  it('records discussion notes while the meeting runs', async () => {
    const { ids, items } = await agendaOf(['Informe'], 'in_progress')
    const updated = await updateAgendaItem(handle.db, {
      ...ids,
      itemId: items[0]!.id,
      changes: { notes: 'Se aprobó el informe.' },
      actor,
    })
    expect([updated.title, updated.notes]).toEqual(['Informe', 'Se aprobó el informe.'])
  })

  it('answers 404 for an item of another assembly', async () => {
    const { ids } = await agendaOf(['A'])
    const other = await agendaOf(['B'])
    const error = await appErrorOf(() =>
      updateAgendaItem(handle.db, { ...ids, itemId: other.items[0]!.id, changes: { title: 'X' }, actor }),
    )
    expect(error.status).toBe(404)
  })

  it('answers 409 assembly_closed once the assembly is closed', async () => {
    const { ids } = await agendaOf(['A'], 'in_progress')
    await closeAssembly(handle.db, { ...ids, actor })
    const error = await appErrorOf(() =>
      addAgendaItem(handle.db, { ...ids, item: { title: 'Tarde' }, actor }),
    )
    expect([error.status, error.code]).toEqual([409, 'assembly_closed'])
  })
})
