import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { people, users } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { renderActaHtml } from '../acta/html.ts'
import { buildActa } from '../acta/model.ts'
import { listAgendaItems } from './agenda.ts'
import { setCurrentAgendaItem } from './agenda-cursor.ts'
import { checkIn, checkOut } from './attendance.ts'
import { closeAssembly } from './lifecycle.ts'
import { listSpeakerRequests, moderateSpeaker, requestToSpeak, withdrawSpeakerRequest } from './speakers.ts'
import {
  type AssemblyFixture,
  appErrorOf,
  createAppTestDatabase,
  createAssemblyFixture,
  createRecorder,
  systemActor,
} from './testing.ts'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createAppTestDatabase()
})
afterAll(() => handle.close())

const actor = systemActor

/** A meeting in progress on its first item, Ana (101) and Beto (102) present and signed in; Carla absent. */
async function meeting() {
  const fixture = await createAssemblyFixture(handle.db, {
    units: [
      ['101', '40', 'Ana Dueña'],
      ['102', '35', 'Beto Dueño'],
      ['103', '25', 'Carla Ausente'],
    ],
    agenda: ['Informe de la junta', 'Presupuesto 2027'],
    status: 'in_progress',
  })
  const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
  const items = await listAgendaItems(handle.db, ids)
  await setCurrentAgendaItem(handle.db, { ...ids, itemId: items[0]!.id, actor })
  const userOf: Record<string, { userId: string }> = {}
  for (const name of ['Ana Dueña', 'Beto Dueño', 'Carla Ausente']) userOf[name] = await link(fixture, name)
  for (const [unit, name] of [
    ['101', 'Ana Dueña'],
    ['102', 'Beto Dueño'],
  ] as const) {
    await checkIn(handle.db, {
      ...ids,
      unitIds: [fixture.unitIds[unit]!],
      personId: fixture.personIds[name]!,
      mode: 'in_person',
      actor,
    })
  }
  return { fixture, ids, items, userOf }
}

async function link(fixture: AssemblyFixture, name: string): Promise<{ userId: string }> {
  const [user] = await handle.db
    .insert(users)
    .values({ email: `${crypto.randomUUID()}@example.com` })
    .returning()
  await withTenant(handle.db, fixture.organizationId, (tx) =>
    tx.update(people).set({ userId: user!.id }).where(eq(people.id, fixture.personIds[name]!)),
  )
  return { userId: user!.id }
}

describe('the speaker queue', () => {
  it('queues in arrival order and announces each change on the assembly topic', async () => {
    const { ids, userOf } = await meeting()
    const recorder = createRecorder()
    await requestToSpeak(handle.db, { ...ids, actor: userOf['Beto Dueño']! }, recorder.deps)
    await requestToSpeak(handle.db, { ...ids, actor: userOf['Ana Dueña']! }, recorder.deps)
    const { requests } = await listSpeakerRequests(handle.db, ids)
    expect(requests.map((r) => [r.name, r.unitNumbers, r.status])).toEqual([
      ['Beto Dueño', ['102'], 'waiting'],
      ['Ana Dueña', ['101'], 'waiting'],
    ])
    expect(recorder.messages.map((m) => [m.topic, m.message.type])).toEqual([
      [`assembly:${ids.assemblyId}`, 'speakers.changed'],
      [`assembly:${ids.assemblyId}`, 'speakers.changed'],
    ])
  })

  it('refuses someone who left the meeting, and an assembly that is not running', async () => {
    const { fixture, ids, userOf } = await meeting()
    await checkOut(handle.db, { ...ids, personId: fixture.personIds['Ana Dueña']!, actor })
    const left = await appErrorOf(() => requestToSpeak(handle.db, { ...ids, actor: userOf['Ana Dueña']! }))
    expect([left.status, left.code]).toEqual([409, 'speaker_not_present'])
    const absent = await appErrorOf(() =>
      requestToSpeak(handle.db, { ...ids, actor: userOf['Carla Ausente']! }),
    )
    expect(absent.code).toBe('speaker_not_present')
    const waiting = await requestToSpeak(handle.db, { ...ids, actor: userOf['Beto Dueño']! })
    await closeAssembly(handle.db, { ...ids, actor })
    const closed = await appErrorOf(() =>
      moderateSpeaker(handle.db, { ...ids, requestId: waiting.id, action: 'floor', actor }),
    )
    expect([closed.status, closed.code]).toEqual([409, 'assembly_not_in_progress'])
  })

  it('withdrawing takes the owner out of the queue; only their own waiting request', async () => {
    const { ids, userOf } = await meeting()
    const ana = await requestToSpeak(handle.db, { ...ids, actor: userOf['Ana Dueña']! })
    await requestToSpeak(handle.db, { ...ids, actor: userOf['Beto Dueño']! })
    expect((await withdrawSpeakerRequest(handle.db, { ...ids, actor: userOf['Ana Dueña']! })).id).toBe(ana.id)
    const { requests } = await listSpeakerRequests(handle.db, ids)
    expect(requests.map((r) => [r.name, r.status])).toEqual([
      ['Beto Dueño', 'waiting'],
      ['Ana Dueña', 'withdrawn'],
    ])
  })
})

describe('the acta', () => {
  it('lists who took the floor under each item, in order, and keeps it in the frozen record', async () => {
    const { ids, items, userOf } = await meeting()
    const beto = await requestToSpeak(handle.db, { ...ids, actor: userOf['Beto Dueño']! })
    const ana = await requestToSpeak(handle.db, { ...ids, actor: userOf['Ana Dueña']! })
    await moderateSpeaker(handle.db, { ...ids, requestId: ana.id, action: 'floor', actor })
    await moderateSpeaker(handle.db, { ...ids, requestId: beto.id, action: 'floor', actor })
    await moderateSpeaker(handle.db, { ...ids, requestId: beto.id, action: 'end', actor })
    // Asked on the second item but skipped: not in the acta.
    await setCurrentAgendaItem(handle.db, { ...ids, itemId: items[1]!.id, actor })
    const skipped = await requestToSpeak(handle.db, { ...ids, actor: userOf['Ana Dueña']! })
    await moderateSpeaker(handle.db, { ...ids, requestId: skipped.id, action: 'skip', actor })
    await closeAssembly(handle.db, { ...ids, actor })
    const model = await buildActa(handle.db, ids)
    expect(model.agenda.map((item) => item.speakers)).toEqual([
      [
        { name: 'Ana Dueña', units: ['101'] },
        { name: 'Beto Dueño', units: ['102'] },
      ],
      [],
    ])
    // The frozen record is what buildActa reads after the close: a later rename does not reach it.
    await withTenant(handle.db, ids.organizationId, (tx) =>
      tx
        .update(people)
        .set({ fullName: 'Otra Persona' })
        .where(eq(people.userId, userOf['Ana Dueña']!.userId)),
    )
    const html = renderActaHtml(await buildActa(handle.db, ids))
    expect(html).toContain('Hicieron uso de la palabra')
    expect(html).toContain('Ana Dueña (101); Beto Dueño (102)')
    expect(html).not.toContain('Otra Persona')
  })
})
