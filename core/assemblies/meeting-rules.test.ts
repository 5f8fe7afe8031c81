import { describe, expect, it } from 'bun:test'
import { createTestOrganization } from '../ph/testing.ts'
import { addAgendaItem } from './agenda.ts'
import { createAssembly } from './assemblies.ts'
import { checkIn } from './attendance.ts'
import { conveneAssembly, listAssemblyEvents, startAssembly, switchToSecondCall } from './lifecycle.ts'
import {
  appDatabaseForTests,
  appErrorOf,
  assemblyInput,
  createAssemblyFixture,
  systemActor,
} from './testing.ts'

/* The meeting's own rules while it runs (issue #13 part 5): when it may start, when a second call is offered. */

const handle = appDatabaseForTests()

const HOUR = 3_600_000
const actor = systemActor

async function convenedAt(firstCallAt: Date) {
  const organizationId = (await createTestOrganization(handle.db)).id
  const assembly = await createAssembly(handle.db, {
    organizationId,
    assembly: assemblyInput({ firstCallAt, secondCallAt: new Date(firstCallAt.getTime() + HOUR) }),
    actor,
  })
  const ids = { organizationId, assemblyId: assembly.id, actor }
  // The notice needs an agenda; the times here are hours away, outside any notice window.
  await addAgendaItem(handle.db, { ...ids, item: { title: 'Presupuesto' } })
  await conveneAssembly(handle.db, { ...ids, windowOverrideReason: 'Test meeting within hours' })
  return ids
}

describe('starting the first call', () => {
  it('is refused before its scheduled time, naming the time, and nothing changes', async () => {
    const firstCallAt = new Date(Date.now() + HOUR)
    const ids = await convenedAt(firstCallAt)
    const error = await appErrorOf(() => startAssembly(handle.db, ids))
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'first_call_too_early',
      { firstCallAt: firstCallAt.toISOString() },
    ])
    const blank = await appErrorOf(() => startAssembly(handle.db, { ...ids, earlyStartReason: '   ' }))
    expect(blank.code).toBe('first_call_too_early')
    expect((await listAssemblyEvents(handle.db, ids)).map((event) => event.kind)).toEqual(['convened'])
  })

  it('starts early with a reason, which the start event keeps for the acta', async () => {
    const ids = await convenedAt(new Date(Date.now() + HOUR))
    const started = await startAssembly(handle.db, {
      ...ids,
      earlyStartReason: 'Todos los propietarios llegaron antes',
    })
    expect(started.assembly.status).toBe('in_progress')
    expect(started.event.note).toBe('Todos los propietarios llegaron antes')
  })

  it('starts at or after its time without a reason', async () => {
    const ids = await convenedAt(new Date(Date.now() - 60_000))
    const started = await startAssembly(handle.db, ids)
    expect([started.assembly.status, started.event.note]).toEqual(['in_progress', null])
  })
})

describe('the second call', () => {
  it('is refused while the first call has quorum, and allowed once it has not', async () => {
    const fixture = await createAssemblyFixture(handle.db, {
      units: [
        ['101', '60', 'Ana Pérez'],
        ['102', '40', 'Bruno Díaz'],
      ],
      status: 'in_progress',
    })
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id, actor }
    const checkedIn = await checkIn(handle.db, {
      ...ids,
      personId: fixture.personIds['Ana Pérez']!,
      mode: 'in_person',
    })
    expect(checkedIn.checkedIn).toHaveLength(1)
    const error = await appErrorOf(() => switchToSecondCall(handle.db, ids))
    expect([error.status, error.code]).toEqual([409, 'quorum_already_reached'])

    const other = await createAssemblyFixture(handle.db, {
      units: [
        ['101', '60', 'Ana Pérez'],
        ['102', '40', 'Bruno Díaz'],
      ],
      status: 'in_progress',
    })
    const moved = await switchToSecondCall(handle.db, {
      organizationId: other.organizationId,
      assemblyId: other.assembly.id,
      actor,
    })
    expect(moved.assembly.currentCall).toBe('second')
  })
})
