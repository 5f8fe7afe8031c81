import { describe, expect, it } from 'bun:test'
import { motions, users } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { getMajorityPreset } from '../rules/presets.ts'
import { addAgendaItem } from './agenda.ts'
import {
  cancelAssembly,
  closeAssembly,
  conveneAssembly,
  listAssemblyEvents,
  resumeAssembly,
  startAssembly,
  suspendAssembly,
  switchToSecondCall,
  transitionAssembly,
} from './lifecycle.ts'
import {
  appDatabaseForTests,
  appErrorOf,
  type assemblyInput,
  createAssemblyFixture,
  createDraftAssembly,
  createRecorder,
  systemActor,
} from './testing.ts'

const handle = appDatabaseForTests()

const actor = systemActor

/** A draft whose notice is complete (one agenda item) and inside the ordinary window (12 days ahead). */
async function draft(changes: Parameters<typeof assemblyInput>[0] = {}) {
  const assembly = await createDraftAssembly(handle.db, 12, changes)
  await addAgendaItem(handle.db, {
    organizationId: assembly.organizationId,
    assemblyId: assembly.id,
    item: { title: 'Presupuesto' },
    actor,
  })
  return assembly
}

describe('the lifecycle', () => {
  it('runs draft → convened → started → suspended → resumed → closed, with an event for each', async () => {
    const assembly = await draft()
    const ids = { organizationId: assembly.organizationId, assemblyId: assembly.id, actor }
    await conveneAssembly(handle.db, ids)
    // The draft's first call is 12 days ahead (inside the notice window): starting now needs a reason.
    await startAssembly(handle.db, { ...ids, earlyStartReason: 'Prueba' })
    await suspendAssembly(handle.db, { ...ids, note: 'Falla eléctrica' })
    await resumeAssembly(handle.db, ids)
    const closed = await closeAssembly(handle.db, ids)
    const events = await listAssemblyEvents(handle.db, ids)
    expect(events.map((event) => [event.kind, event.note])).toEqual([
      ['convened', null],
      ['started', 'Prueba'],
      ['suspended', 'Falla eléctrica'],
      ['resumed', null],
      ['closed', null],
    ])
    expect([
      closed.assembly.status,
      closed.assembly.startedAt !== null,
      closed.assembly.endedAt !== null,
    ]).toEqual(['closed', true, true])
  })

  it('keeps the first start time when the meeting resumes', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      status: 'in_progress',
    })
    const ids = { organizationId, assemblyId: assembly.id, actor }
    await suspendAssembly(handle.db, ids)
    const resumed = await resumeAssembly(handle.db, ids)
    expect(resumed.assembly.startedAt).toEqual(assembly.startedAt)
  })

  it('stores the acting user on the event', async () => {
    const [user] = await handle.db
      .insert(users)
      .values({ email: `${crypto.randomUUID()}@example.com` })
      .returning()
    const assembly = await draft()
    const result = await conveneAssembly(handle.db, {
      organizationId: assembly.organizationId,
      assemblyId: assembly.id,
      actor: { userId: user!.id },
    })
    expect(result.event.actorUserId).toBe(user!.id)
  })

  it.each([
    ['start a draft', 'draft', 'in_progress'],
    ['suspend a convened assembly', 'convened', 'suspended'],
    ['close a convened assembly', 'convened', 'closed'],
    ['cancel a running meeting', 'in_progress', 'cancelled'],
  ] as const)('answers 409 invalid_transition to %s', async (_name, status, to) => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      status,
    })
    const error = await appErrorOf(() =>
      transitionAssembly(handle.db, { organizationId, assemblyId: assembly.id, to, actor }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'invalid_transition',
      { from: status, to },
    ])
  })

  it('answers 409 assembly_closed for any change to a cancelled assembly', async () => {
    const assembly = await draft()
    const ids = { organizationId: assembly.organizationId, assemblyId: assembly.id, actor }
    await cancelAssembly(handle.db, ids)
    const error = await appErrorOf(() => conveneAssembly(handle.db, ids))
    expect([error.status, error.code]).toEqual([409, 'assembly_closed'])
  })

  it('answers 422 incomplete_call when convening a mixed assembly without its link', async () => {
    const assembly = await draft({ meetingUrl: null, callText: null, convenerPosition: null })
    const error = await appErrorOf(() =>
      conveneAssembly(handle.db, { organizationId: assembly.organizationId, assemblyId: assembly.id, actor }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      422,
      'incomplete_call',
      { missing: ['meetingUrl', 'convenerPosition'] },
    ])
  })

  it('convenes a remote assembly without a place', async () => {
    const assembly = await draft({ modality: 'remote', location: null })
    const result = await conveneAssembly(handle.db, {
      organizationId: assembly.organizationId,
      assemblyId: assembly.id,
      actor,
    })
    expect(result.assembly.status).toBe('convened')
  })

  it('answers 409 motion_open when closing with a motion still open', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      status: 'in_progress',
    })
    await withTenant(handle.db, organizationId, (tx) =>
      tx.insert(motions).values({
        organizationId,
        assemblyId: assembly.id,
        position: 1,
        title: 'Presupuesto',
        options: [{ key: 'yes', label: 'Sí', kind: 'yes' }],
        majorityRule: getMajorityPreset('simple')!,
        status: 'open',
      }),
    )
    const error = await appErrorOf(() =>
      closeAssembly(handle.db, { organizationId, assemblyId: assembly.id, actor }),
    )
    expect([error.status, error.code]).toEqual([409, 'motion_open'])
  })

  it('publishes each status change on the assembly topic', async () => {
    const recorder = createRecorder()
    const assembly = await draft()
    await conveneAssembly(
      handle.db,
      { organizationId: assembly.organizationId, assemblyId: assembly.id, actor },
      recorder.deps,
    )
    expect(recorder.messages).toEqual([
      {
        topic: `assembly:${assembly.id}`,
        message: expect.objectContaining({ type: 'assembly.status', status: 'convened', event: 'convened' }),
      },
    ])
  })

  it('keeps the change when publishing fails', async () => {
    const assembly = await draft()
    const failing = {
      changes: {
        announce: async () => undefined,
        publish: () => Promise.reject(new Error('redis down')),
      },
    }
    const result = await conveneAssembly(
      handle.db,
      { organizationId: assembly.organizationId, assemblyId: assembly.id, actor },
      failing,
    )
    expect(result.assembly.status).toBe('convened')
  })
})

describe('switchToSecondCall', () => {
  it('moves to the second call and records the event', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
    })
    const result = await switchToSecondCall(handle.db, { organizationId, assemblyId: assembly.id, actor })
    const kinds = (await listAssemblyEvents(handle.db, { organizationId, assemblyId: assembly.id })).map(
      (e) => e.kind,
    )
    expect([result.assembly.currentCall, kinds]).toEqual(['second', ['convened', 'second_call']])
  })

  it.each([
    [
      'the second call is scheduled later',
      { secondCallAt: new Date(Date.now() + 3_600_000) },
      'second_call_too_early',
    ],
    ['the rule has no second call', { quorumRule: 'ley284-owners-new-call' }, 'second_call_not_allowed'],
  ])('answers 409 when %s', async (_name, changes, code) => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      assembly: { firstCallAt: new Date(Date.now() - 3_600_000), ...changes },
    })
    const error = await appErrorOf(() =>
      switchToSecondCall(handle.db, { organizationId, assemblyId: assembly.id, actor }),
    )
    expect([error.status, error.code]).toEqual([409, code])
  })

  it('answers 409 already_second_call the second time', async () => {
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
    })
    await switchToSecondCall(handle.db, { organizationId, assemblyId: assembly.id, actor })
    const error = await appErrorOf(() =>
      switchToSecondCall(handle.db, { organizationId, assemblyId: assembly.id, actor }),
    )
    expect(error.code).toBe('already_second_call')
  })

  it('answers 409 assembly_not_open for a draft', async () => {
    const assembly = await draft()
    const error = await appErrorOf(() =>
      switchToSecondCall(handle.db, {
        organizationId: assembly.organizationId,
        assemblyId: assembly.id,
        actor,
      }),
    )
    expect(error.code).toBe('assembly_not_open')
  })

  it('honours the injected clock', async () => {
    const secondCallAt = new Date(Date.now() + 3_600_000)
    const { organizationId, assembly } = await createAssemblyFixture(handle.db, {
      units: [['1', '100', 'Ana']],
      assembly: { firstCallAt: new Date(Date.now() - 3_600_000), secondCallAt },
    })
    const later = { now: () => new Date(secondCallAt.getTime() + 1000) }
    const result = await switchToSecondCall(
      handle.db,
      { organizationId, assemblyId: assembly.id, actor },
      later,
    )
    expect(result.assembly.currentCall).toBe('second')
  })
})
