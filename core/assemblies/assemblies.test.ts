import { describe, expect, it } from 'bun:test'
import { createTestOrganization } from '../ph/testing.ts'
import { addAgendaItem } from './agenda.ts'
import { createAssembly, getAssembly, listAssemblies, updateAssembly } from './assemblies.ts'
import { conveneAssembly, transitionAssembly } from './lifecycle.ts'
import {
  appDatabaseForTests,
  appErrorOf,
  assemblyInput,
  createAssemblyFixture,
  systemActor,
} from './testing.ts'

const handle = appDatabaseForTests()

const actor = systemActor

async function draft(changes: Parameters<typeof assemblyInput>[0] = {}, organizationId?: string) {
  const org = organizationId ?? (await createTestOrganization(handle.db)).id
  return createAssembly(handle.db, { organizationId: org, assembly: assemblyInput(changes), actor })
}

describe('createAssembly', () => {
  it('numbers the actas of a PH 1, 2, 3', async () => {
    const org = (await createTestOrganization(handle.db)).id
    const numbers = []
    for (let i = 0; i < 3; i++) numbers.push((await draft({}, org)).number)
    expect(numbers).toEqual([1, 2, 3])
  })

  it('numbers each PH on its own', async () => {
    await draft()
    expect((await draft()).number).toBe(1)
  })

  it('starts as a draft at first call with the preset rule', async () => {
    const assembly = await draft()
    expect([assembly.status, assembly.currentCall, assembly.quorumRule.preset]).toEqual([
      'draft',
      'first',
      'bylaws-coefficient-any-present',
    ])
  })

  it('stores a custom quorum rule', async () => {
    const rule = {
      base: 'units' as const,
      eligibleOnly: true,
      firstCall: { numerator: 51, denominator: 100, strict: false },
      secondCall: null,
    }
    expect((await draft({ quorumRule: rule })).quorumRule).toEqual(rule)
  })

  it('answers 422 when the second call is not after the first', async () => {
    const firstCallAt = new Date('2026-05-01T18:00:00Z')
    const error = await appErrorOf(() => draft({ firstCallAt, secondCallAt: firstCallAt }))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field: 'secondCallAt' })]])
  })

  it('answers 404 for an unknown PH', async () => {
    const error = await appErrorOf(() =>
      createAssembly(handle.db, { organizationId: crypto.randomUUID(), assembly: assemblyInput(), actor }),
    )
    expect(error.status).toBe(404)
  })
})

describe('getAssembly and listAssemblies', () => {
  it('hides an assembly of another PH', async () => {
    const assembly = await draft()
    const other = (await createTestOrganization(handle.db)).id
    expect(await getAssembly(handle.db, { organizationId: other, assemblyId: assembly.id })).toBeNull()
  })

  it('lists the newest acta first, filtered by status', async () => {
    const org = (await createTestOrganization(handle.db)).id
    const first = await draft({}, org)
    await draft({}, org)
    await addAgendaItem(handle.db, {
      organizationId: org,
      assemblyId: first.id,
      item: { title: 'Informe' },
      actor,
    })
    await conveneAssembly(handle.db, {
      organizationId: org,
      assemblyId: first.id,
      actor,
      windowOverrideReason: 'The test assembly is in the past',
    })
    const all = await listAssemblies(handle.db, { organizationId: org })
    const convened = await listAssemblies(handle.db, { organizationId: org, status: 'convened' })
    expect([all.map((a) => a.number), convened.map((a) => a.number)]).toEqual([[2, 1], [1]])
  })
})

describe('updateAssembly', () => {
  it('changes the given fields of a draft', async () => {
    const assembly = await draft()
    const updated = await updateAssembly(handle.db, {
      organizationId: assembly.organizationId,
      assemblyId: assembly.id,
      changes: { title: 'Asamblea Extraordinaria', kind: 'extraordinary', maxProxiesPerHolder: 3 },
      actor,
    })
    expect([updated.title, updated.kind, updated.maxProxiesPerHolder, updated.location]).toEqual([
      'Asamblea Extraordinaria',
      'extraordinary',
      3,
      'Salón de eventos',
    ])
  })

  it('answers 422 when a new first call falls after the stored second call', async () => {
    const assembly = await draft()
    const error = await appErrorOf(() =>
      updateAssembly(handle.db, {
        organizationId: assembly.organizationId,
        assemblyId: assembly.id,
        changes: { firstCallAt: new Date(Date.now() + 86_400_000) },
        actor,
      }),
    )
    expect(error.status).toBe(422)
  })

  it('lets the officers be named once the meeting has started', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      status: 'in_progress',
    })
    const changes = { presidentName: 'Ana', secretaryName: 'Luis', officersElection: 'Por aclamación' }
    const updated = await updateAssembly(handle.db, {
      organizationId,
      assemblyId: assembly.id,
      changes,
      actor,
    })
    expect(updated).toMatchObject(changes)
  })

  it('answers 409 assembly_started for the quorum rule of a running meeting', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      status: 'in_progress',
    })
    const error = await appErrorOf(() =>
      updateAssembly(handle.db, {
        organizationId,
        assemblyId: assembly.id,
        changes: { quorumRule: 'bylaws-coefficient-new-call' },
        actor,
      }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'assembly_started',
      { fields: ['quorumRule'] },
    ])
  })

  it.each([['closed'], ['cancelled']] as const)(
    'answers 409 assembly_closed for a %s assembly',
    async (status) => {
      const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
        units: [['1', '100', 'Ana']],
        status: status === 'closed' ? 'in_progress' : 'convened',
      })
      await transitionAssembly(handle.db, { organizationId, assemblyId: assembly.id, to: status, actor })
      const error = await appErrorOf(() =>
        updateAssembly(handle.db, {
          organizationId,
          assemblyId: assembly.id,
          changes: { title: 'Otra' },
          actor,
        }),
      )
      expect([error.status, error.code]).toEqual([409, 'assembly_closed'])
    },
  )
})
