import { describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { agendaItems, organizations, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { closeAssembly } from '../assemblies/lifecycle.ts'
import {
  appDatabaseForTests,
  checkInOwners,
  createAssemblyFixture,
  systemActor,
} from '../assemblies/testing.ts'
import { handOverUnit } from '../ph/testing.ts'
import { renderActaHtml } from './html.ts'
import { updateDiscussionSummary } from './lifecycle.ts'
import { assembleActa, buildActa } from './model.ts'
import { renderActaPdf } from './pdf.ts'

const handle = appDatabaseForTests()

const actor = systemActor

describe('the acta frozen at the close', () => {
  it('does not change when the roster changes after the meeting (byte for byte)', async () => {
    const fixture = await createAssemblyFixture(handle.db, {
      units: [
        ['101', '40', 'Ana Dueña'],
        ['102', '35', 'Beto Dueño'],
        ['103', '25', 'Carla Morosa', false],
      ],
      status: 'in_progress',
    })
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
    await checkInOwners(handle.db, fixture, [
      ['101', 'Ana Dueña'],
      ['102', 'Beto Dueño'],
    ])
    await closeAssembly(handle.db, { ...ids, actor })
    const render = async () => {
      const model = await buildActa(handle.db, ids)
      return { html: renderActaHtml(model), pdf: await renderActaPdf(model) }
    }
    const before = await render()
    expect(before.html).toContain('Ana Dueña')
    expect(before.html).toContain('Beto Dueño')

    // After the meeting: 102 is sold, 103 pays its arrears, 101's coefficient is corrected, Ana is renamed.
    await handOverUnit(handle.db, {
      organizationId: ids.organizationId,
      unitId: fixture.unitIds['102']!,
      fullName: 'Zoe Compradora',
    })
    await handle.db.update(units).set({ upToDate: true }).where(eq(units.id, fixture.unitIds['103']!))
    await handle.db
      .update(units)
      .set({ coefficient: '41.000000000' })
      .where(eq(units.id, fixture.unitIds['101']!))
    await handle.db
      .update(people)
      .set({ fullName: 'Ana Renombrada' })
      .where(eq(people.id, fixture.personIds['Ana Dueña']!))
    await handle.db
      .update(organizations)
      .set({ arrearsVoting: 'full_vote' })
      .where(eq(organizations.id, ids.organizationId))

    // Control: the live tables now tell a different story…
    const live = await withTenant(handle.db, ids.organizationId, (tx) =>
      assembleActa(tx, { ...ids, amendsBylaws: false }),
    )
    expect(renderActaHtml(live)).toContain('Zoe Compradora')
    // …but the acta is the record of the meeting.
    const after = await render()
    expect(after.html).toBe(before.html)
    expect(Buffer.from(after.pdf).equals(Buffer.from(before.pdf))).toBe(true)
    expect(after.html).not.toContain('Zoe Compradora')
    expect(after.html).not.toContain('Ana Renombrada')

    // Writing a discussion summary afterwards regenerates that summary only, never the roster.
    const [item] = await withTenant(handle.db, ids.organizationId, (tx) =>
      tx.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.assemblyId, ids.assemblyId)),
    )
    await updateDiscussionSummary(handle.db, {
      ...ids,
      itemId: item!.id,
      notes: 'Se aprobó el informe.',
      actor,
    })
    const summarised = await render()
    expect(before.html.split('Sin resumen de la discusión.')).toHaveLength(2)
    expect(summarised.html).toBe(before.html.replace('Sin resumen de la discusión.', 'Se aprobó el informe.'))
  })
})
