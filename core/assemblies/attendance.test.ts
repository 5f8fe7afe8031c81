import { describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { people, users } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { createPerson } from '../ph/people.ts'
import { handOverUnit } from '../ph/testing.ts'
import { checkIn, checkInByToken, checkOut, listAttendance, selfCheckIn } from './attendance.ts'
import { createCheckInToken } from './checkin-token.ts'
import { closeAssembly, suspendAssembly } from './lifecycle.ts'
import { listProxies, registerProxy } from './proxies.ts'
import { quorumHistory } from './quorum.ts'
import {
  type AssemblyFixture,
  appDatabaseForTests,
  appErrorOf,
  createAssemblyFixture,
  createRecorder,
  systemActor,
} from './testing.ts'
import type { AssemblyDeps, AttendanceMode } from './types.ts'

const handle = appDatabaseForTests()

const actor = systemActor
const KEY = 'a-check-in-key-of-at-least-32-bytes!'

function ph(
  options: Parameters<typeof createAssemblyFixture>[1]['assembly'] = {},
  status: 'draft' | 'convened' | 'in_progress' = 'convened',
) {
  return createAssemblyFixture(handle.db, {
    units: [
      ['A', '35', 'Ana'],
      ['E', '5', 'Ana'],
      ['B', '30', 'Beto'],
      ['C', '20', 'Carla'],
      ['D', '10', 'Dario'],
    ],
    assembly: options,
    status,
  })
}

const ids = (fixture: AssemblyFixture) => ({
  organizationId: fixture.organizationId,
  assemblyId: fixture.assembly.id,
})

function arrive(
  fixture: AssemblyFixture,
  personId: string,
  extra: { unitIds?: string[]; mode?: AttendanceMode } = {},
  deps?: AssemblyDeps,
) {
  return checkIn(
    handle.db,
    { ...ids(fixture), personId, mode: extra.mode ?? 'in_person', unitIds: extra.unitIds, actor },
    deps,
  )
}

function proxy(
  fixture: AssemblyFixture,
  unit: string,
  holderPersonId: string,
  extra: Record<string, unknown> = {},
) {
  return registerProxy(handle.db, {
    ...ids(fixture),
    grantorUnitId: fixture.unitIds[unit]!,
    holder: { personId: holderPersonId },
    actor,
    ...extra,
  })
}

async function present(fixture: AssemblyFixture) {
  const open = await listAttendance(handle.db, { ...ids(fixture), openOnly: true })
  return open.map((row) => `${row.unitNumber}:${row.personName}:${row.mode}`).sort()
}

describe('checkIn by an owner', () => {
  it('checks in every unit the owner represents in one call', async () => {
    const fixture = await ph()
    const result = await arrive(fixture, fixture.personIds.Ana!)
    expect(result.checkedIn.map((row) => row.unitNumber).sort()).toEqual(['A', 'E'])
  })

  it('checks in only the units given', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Ana!, { unitIds: [fixture.unitIds.E!] })
    expect(await present(fixture)).toEqual(['E:Ana:in_person'])
  })

  it('records a remote attendance', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Beto!, { mode: 'remote' })
    expect(await present(fixture)).toEqual(['B:Beto:remote'])
  })

  it('leaves units already checked in by the same person as they were', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Ana!, { unitIds: [fixture.unitIds.A!] })
    const again = await arrive(fixture, fixture.personIds.Ana!)
    expect([again.checkedIn.map((r) => r.unitNumber), again.alreadyPresent.map((r) => r.unitNumber)]).toEqual(
      [['E'], ['A']],
    )
  })

  it('writes no quorum log entry when nothing changed', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Beto!)
    const before = (await quorumHistory(handle.db, ids(fixture))).length
    await arrive(fixture, fixture.personIds.Beto!)
    expect((await quorumHistory(handle.db, ids(fixture))).length).toBe(before)
  })

  it('answers 422 not_representative for a unit of someone else', async () => {
    const fixture = await ph()
    const error = await appErrorOf(() =>
      arrive(fixture, fixture.personIds.Ana!, { unitIds: [fixture.unitIds.B!] }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      422,
      'not_representative',
      { unitIds: [fixture.unitIds.B!] },
    ])
  })

  it('answers 422 not_representative for a person who represents nothing', async () => {
    const fixture = await ph()
    const nobody = await createPerson(handle.db, {
      organizationId: fixture.organizationId,
      person: { fullName: 'Visita' },
      actor,
    })
    const error = await appErrorOf(() => arrive(fixture, nobody.id))
    expect(error.code).toBe('not_representative')
  })

  it('answers 409 already_checked_in when someone else attends for the unit', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Beto!)
    const heir = await handOverUnit(handle.db, {
      organizationId: fixture.organizationId,
      unitId: fixture.unitIds.B!,
      fullName: 'Heredero',
    })
    const error = await appErrorOf(() => arrive(fixture, heir.id))
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'already_checked_in',
      { unitIds: [fixture.unitIds.B!] },
    ])
  })
})

describe('checkIn by a proxy holder', () => {
  it('checks in every unit the holder represents, by proxy and as owner, in one call', async () => {
    const fixture = await ph()
    await proxy(fixture, 'C', fixture.personIds.Beto!)
    await proxy(fixture, 'D', fixture.personIds.Beto!)
    const result = await arrive(fixture, fixture.personIds.Beto!)
    const rows = result.checkedIn.map((row) => [row.unitNumber, row.proxyId !== null]).sort()
    expect(rows).toEqual([
      ['B', false],
      ['C', true],
      ['D', true],
    ])
  })

  it('ignores a proxy outside its validity window', async () => {
    const fixture = await ph()
    const holder = await createPerson(handle.db, {
      organizationId: fixture.organizationId,
      person: { fullName: 'Tardío' },
      actor,
    })
    await proxy(fixture, 'C', holder.id, { validUntil: new Date(Date.now() - 60_000) })
    const error = await appErrorOf(() => arrive(fixture, holder.id))
    expect(error.code).toBe('not_representative')
  })
})

describe('an owner checking in personally revokes the proxy', () => {
  async function scene() {
    const fixture = await ph()
    const holder = await createPerson(handle.db, {
      organizationId: fixture.organizationId,
      person: { fullName: 'Apoderado', email: 'apoderado@example.com' },
      actor,
    })
    await proxy(fixture, 'C', holder.id)
    return { fixture, holder }
  }

  it('revokes the proxy with reason owner_checked_in and returns it', async () => {
    const { fixture } = await scene()
    const result = await arrive(fixture, fixture.personIds.Carla!)
    const proxies = await listProxies(handle.db, ids(fixture))
    expect([
      result.revokedProxies.map((event) => event.reason),
      proxies.map((p) => [p.status, p.revokedReason]),
    ]).toEqual([['owner_checked_in'], [['revoked', 'owner_checked_in']]])
  })

  it('tells the holder through onProxyRevoked', async () => {
    const { fixture, holder } = await scene()
    const recorder = createRecorder()
    await arrive(fixture, fixture.personIds.Carla!, {}, recorder.deps)
    expect(
      recorder.revoked.map((event) => [event.holder.personId, event.holder.email, event.unitNumber]),
    ).toEqual([[holder.id, 'apoderado@example.com', 'C']])
  })

  it('replaces the holder’s attendance for the unit by the owner’s', async () => {
    const { fixture, holder } = await scene()
    await arrive(fixture, holder.id)
    await arrive(fixture, fixture.personIds.Carla!, { mode: 'remote' })
    expect(await present(fixture)).toEqual(['C:Carla:remote'])
  })

  it('leaves the holder nothing to check in for afterwards', async () => {
    const { fixture, holder } = await scene()
    await arrive(fixture, fixture.personIds.Carla!)
    expect((await appErrorOf(() => arrive(fixture, holder.id))).code).toBe('not_representative')
  })
})

describe('when attendance is taken', () => {
  it.each([
    ['a draft', 'draft', 409, 'assembly_not_open'],
    ['a closed assembly', 'closed', 409, 'assembly_closed'],
  ] as const)('refuses check-in for %s', async (_name, status, code, errorCode) => {
    const fixture = await ph({}, status === 'draft' ? 'draft' : 'in_progress')
    if (status === 'closed') await closeAssembly(handle.db, { ...ids(fixture), actor })
    const error = await appErrorOf(() => arrive(fixture, fixture.personIds.Ana!))
    expect([error.status, error.code]).toEqual([code, errorCode])
  })

  it('accepts check-in while the meeting is suspended', async () => {
    const fixture = await ph({}, 'in_progress')
    await suspendAssembly(handle.db, { ...ids(fixture), actor })
    expect((await arrive(fixture, fixture.personIds.Beto!)).checkedIn).toHaveLength(1)
  })

  it.each([
    ['remote attendance at an in-person meeting', 'in_person', 'remote'],
    ['in-person attendance at a remote meeting', 'remote', 'in_person'],
  ] as const)('answers 422 mode_not_allowed for %s', async (_name, modality, mode) => {
    const fixture = await ph({ modality })
    const error = await appErrorOf(() => arrive(fixture, fixture.personIds.Beto!, { mode }))
    expect([error.status, error.code]).toEqual([422, 'mode_not_allowed'])
  })
})

describe('checkOut', () => {
  it('ends the attendance of the given units', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Ana!)
    await checkOut(handle.db, { ...ids(fixture), unitIds: [fixture.unitIds.A!], actor })
    expect(await present(fixture)).toEqual(['E:Ana:in_person'])
  })

  it('ends every attendance of a person', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Ana!)
    const result = await checkOut(handle.db, { ...ids(fixture), personId: fixture.personIds.Ana!, actor })
    expect([result.checkedOut.length, await present(fixture)]).toEqual([2, []])
  })

  it('answers 409 not_checked_in for a unit that is not present', async () => {
    const fixture = await ph()
    const error = await appErrorOf(() =>
      checkOut(handle.db, { ...ids(fixture), unitIds: [fixture.unitIds.D!], actor }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      409,
      'not_checked_in',
      { unitIds: [fixture.unitIds.D!] },
    ])
  })

  it('lets the unit check in again', async () => {
    const fixture = await ph()
    await arrive(fixture, fixture.personIds.Dario!)
    await checkOut(handle.db, { ...ids(fixture), personId: fixture.personIds.Dario!, actor })
    await arrive(fixture, fixture.personIds.Dario!, { mode: 'remote' })
    expect(await present(fixture)).toEqual(['D:Dario:remote'])
  })
})

describe('checkInByToken', () => {
  it('checks in the person named by a scanned code', async () => {
    const fixture = await ph()
    const token = createCheckInToken(KEY, {
      assemblyId: fixture.assembly.id,
      personId: fixture.personIds.Beto!,
    })
    await checkInByToken(handle.db, { ...ids(fixture), token, mode: 'in_person', actor }, { checkInKey: KEY })
    expect(await present(fixture)).toEqual(['B:Beto:in_person'])
  })

  it('answers 400 for a code of another assembly', async () => {
    const fixture = await ph()
    const token = createCheckInToken(KEY, {
      assemblyId: crypto.randomUUID(),
      personId: fixture.personIds.Beto!,
    })
    const error = await appErrorOf(() =>
      checkInByToken(handle.db, { ...ids(fixture), token, mode: 'in_person', actor }, { checkInKey: KEY }),
    )
    expect([error.status, error.code]).toEqual([400, 'invalid_check_in_token'])
  })

  it('answers 400 for a code signed with another key', async () => {
    const fixture = await ph()
    const token = createCheckInToken('another-key-that-is-32-bytes-long!!', {
      assemblyId: fixture.assembly.id,
      personId: fixture.personIds.Beto!,
    })
    const error = await appErrorOf(() =>
      checkInByToken(handle.db, { ...ids(fixture), token, mode: 'in_person', actor }, { checkInKey: KEY }),
    )
    expect(error.code).toBe('invalid_check_in_token')
  })
})

describe('selfCheckIn', () => {
  it('checks in the person linked to the signed-in user, remotely by default', async () => {
    const fixture = await ph()
    const [user] = await handle.db
      .insert(users)
      .values({ email: `${crypto.randomUUID()}@example.com` })
      .returning()
    await withTenant(handle.db, fixture.organizationId, (tx) =>
      tx.update(people).set({ userId: user!.id }).where(eq(people.id, fixture.personIds.Carla!)),
    )
    await selfCheckIn(handle.db, { ...ids(fixture), actor: { userId: user!.id } })
    expect(await present(fixture)).toEqual(['C:Carla:remote'])
  })

  it('answers 403 not_an_attendee for a user without a person in the PH', async () => {
    const fixture = await ph()
    const error = await appErrorOf(() =>
      selfCheckIn(handle.db, { ...ids(fixture), actor: { userId: crypto.randomUUID() } }),
    )
    expect([error.status, error.code]).toEqual([403, 'not_an_attendee'])
  })
})

describe('publishing', () => {
  it('publishes the attendance change and the new quorum', async () => {
    const fixture = await ph()
    const recorder = createRecorder()
    await arrive(fixture, fixture.personIds.Beto!, {}, recorder.deps)
    expect(recorder.messages.map(({ topic, message }) => [topic, message.type])).toEqual([
      [`assembly:${fixture.assembly.id}`, 'attendance'],
      [`assembly:${fixture.assembly.id}`, 'quorum'],
    ])
  })
})
