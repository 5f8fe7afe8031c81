import { describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { auditLog, noticeReminders } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { updateOrganization } from '../ph/organizations.ts'
import { addAgendaItem } from './agenda.ts'
import { noticeWindowOf } from './convocatoria.ts'
import { conveneAssembly } from './lifecycle.ts'
import {
  systemActor as actor,
  appDatabaseForTests,
  appErrorOf,
  type assemblyInput,
  createDraftAssembly,
} from './testing.ts'

const handle = appDatabaseForTests()

const WINDOWS = {
  timeZone: 'America/Panama',
  noticeOrdinaryMinDays: 10,
  noticeOrdinaryMaxDays: 20,
  noticeExtraordinaryMinDays: 3,
  noticeExtraordinaryMaxDays: 5,
}

async function draftIn(days: number, changes: Parameters<typeof assemblyInput>[0] = {}) {
  const assembly = await createDraftAssembly(handle.db, days, changes)
  return { organizationId: assembly.organizationId, assemblyId: assembly.id, actor }
}

describe('the notice window', () => {
  it('counts calendar days in the PH time zone, per class of meeting', () => {
    // 23:30 in Panama on the 1st is already the 2nd in UTC; the first call on the 11th at 19:00 is 10 days on.
    const notice = new Date('2027-03-02T04:30:00Z')
    const ordinary = { kind: 'ordinary' as const, firstCallAt: new Date('2027-03-12T00:00:00Z') }
    expect(noticeWindowOf(ordinary, WINDOWS, notice)).toEqual({ days: 10, min: 10, max: 20, inside: true })
    expect(noticeWindowOf({ ...ordinary, kind: 'extraordinary' }, WINDOWS, notice)).toEqual({
      days: 10,
      min: 3,
      max: 5,
      inside: false,
    })
  })
})

describe('convening', () => {
  it('lists every missing field, the agenda included, and changes nothing', async () => {
    const ids = await draftIn(12, {
      location: null,
      convenedBy: null,
      convenerPosition: null,
      secondCallAt: null,
    })
    const error = await appErrorOf(() => conveneAssembly(handle.db, ids))
    expect([error.status, error.code, error.details]).toEqual([
      422,
      'incomplete_call',
      { missing: ['location', 'secondCallAt', 'convenedBy', 'convenerPosition', 'agenda'] },
    ])
  })

  it('refuses a date outside the window without a reason, then records the reason and audits it', async () => {
    const ids = await draftIn(4)
    await addAgendaItem(handle.db, { ...ids, item: { title: 'Presupuesto' } })
    const error = await appErrorOf(() => conveneAssembly(handle.db, ids))
    expect([error.status, error.code, error.details]).toEqual([
      422,
      'notice_window',
      { days: 4, min: 10, max: 20, inside: false },
    ])
    const reason = 'El reglamento fija 3 días de aviso'
    const result = await conveneAssembly(handle.db, { ...ids, windowOverrideReason: ` ${reason} ` })
    expect([result.assembly.status, result.assembly.noticeWindowOverride]).toEqual(['convened', reason])
    expect(result.assembly.noticedAt).toBeInstanceOf(Date)
    const audited = await handle.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'assembly.notice_window_override'), eq(auditLog.subject, ids.assemblyId)),
      )
    expect(audited.map((row) => row.data)).toEqual([{ days: 4, min: 10, max: 20, inside: false, reason }])
  })

  it("follows the PH's own window and needs no reason inside it", async () => {
    const ids = await draftIn(4)
    await addAgendaItem(handle.db, { ...ids, item: { title: 'Presupuesto' } })
    await updateOrganization(handle.db, {
      organizationId: ids.organizationId,
      changes: { noticeOrdinaryMinDays: 3 },
      actor,
    })
    const result = await conveneAssembly(handle.db, ids)
    expect([result.assembly.status, result.assembly.noticeWindowOverride]).toEqual(['convened', null])
  })

  it('refuses a window whose minimum exceeds its maximum, naming the field', async () => {
    const { organizationId } = await draftIn(12)
    const error = await appErrorOf(() =>
      updateOrganization(handle.db, { organizationId, changes: { noticeExtraordinaryMinDays: 9 }, actor }),
    )
    expect([error.status, error.details]).toEqual([
      422,
      [expect.objectContaining({ field: 'noticeExtraordinaryMinDays' })],
    ])
  })

  it("schedules the PH's reminders, only those still ahead", async () => {
    const ids = await draftIn(4)
    await addAgendaItem(handle.db, { ...ids, item: { title: 'Presupuesto' } })
    await updateOrganization(handle.db, {
      organizationId: ids.organizationId,
      changes: { reminderDaysBefore: [2, 10, 2], noticeOrdinaryMinDays: 3 },
      actor,
    })
    await conveneAssembly(handle.db, ids)
    const rows = await withTenant(handle.db, ids.organizationId, (tx) =>
      tx.select().from(noticeReminders).where(eq(noticeReminders.assemblyId, ids.assemblyId)),
    )
    expect(rows.map((row) => row.daysBefore)).toEqual([2])
  })

  it('refuses reminder days out of range, naming the field', async () => {
    const { organizationId } = await draftIn(12)
    const error = await appErrorOf(() =>
      updateOrganization(handle.db, { organizationId, changes: { reminderDaysBefore: [0] }, actor }),
    )
    expect([error.status, error.details]).toEqual([
      422,
      [expect.objectContaining({ field: 'reminderDaysBefore' })],
    ])
  })
})
