import { describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { sendDueReminders } from '../../../../core/mail/reminders.ts'
import { readMessage } from '../../../../core/mail/smtp-sink.ts'
import { noticeReminders, people, proxies, units } from '../../../../db/schema/index.ts'
import { withTenant } from '../../../../db/tenant.ts'
import { assemblyBody, phWithMailSink } from '../_testing.ts'

/*
 * Reminders of the notice through a real SMTP conversation: convening schedules one 7 days and one
 * 1 day before the first call; when due, every owner and proxy holder gets it except an owner whose
 * every unit already has a proxy; two senders at once and a second run send nothing twice; moving
 * the first call moves the reminders not yet sent.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR

const world = phWithMailSink()

describe('reminders of the notice', () => {
  it('are scheduled at convening, sent once when due, and skip owners fully represented by proxy', async () => {
    const { db } = world.t.services
    const { organizationId } = world.ph
    const firstCallAt = new Date(Date.now() + 12 * DAY)
    const created = await world.t.send(
      'POST',
      world.ph.path('/assemblies'),
      assemblyBody({
        firstCallAt: firstCallAt.toISOString(),
        secondCallAt: new Date(firstCallAt.getTime() + HOUR).toISOString(),
      }),
      world.ph.admin,
    )
    const assemblyId: string = created.body.id
    const path = world.ph.path(`/assemblies/${assemblyId}`)
    await world.t.send('POST', `${path}/agenda`, { title: 'Presupuesto' }, world.ph.admin)
    // Ana owns only unit 101 and gives its proxy to Bruno: she needs no reminder, he does.
    await withTenant(db, organizationId, async (tx) => {
      const [unit] = await tx
        .select()
        .from(units)
        .where(and(eq(units.organizationId, organizationId), eq(units.number, '101')))
      const [bruno] = await tx
        .select()
        .from(people)
        .where(and(eq(people.organizationId, organizationId), eq(people.email, 'bruno@example.com')))
      await tx
        .insert(proxies)
        .values({ organizationId, assemblyId, grantorUnitId: unit!.id, holderPersonId: bruno!.id })
    })
    expect(
      (await world.t.send('POST', `${path}/transition`, { to: 'convened' }, world.ph.admin)).status,
    ).toBe(200)
    await world.sink.waitFor(5) // the notice itself

    const scheduled = () =>
      withTenant(db, organizationId, (tx) =>
        tx
          .select()
          .from(noticeReminders)
          .where(eq(noticeReminders.assemblyId, assemblyId))
          .orderBy(asc(noticeReminders.daysBefore)),
      )
    expect((await scheduled()).map((row) => [row.daysBefore, row.dueAt.getTime(), row.sentAt])).toEqual([
      [1, firstCallAt.getTime() - DAY, null],
      [7, firstCallAt.getTime() - 7 * DAY, null],
    ])

    // Nothing is due yet.
    expect(await sendDueReminders(world.t.services, new Date())).toBe(0)
    // A week before: two senders race; the 7-day reminder goes out once.
    const weekBefore = new Date(firstCallAt.getTime() - 7 * DAY + 60_000)
    const before = world.sink.messages.length
    const claimed = await Promise.all([
      sendDueReminders(world.t.services, weekBefore),
      sendDueReminders(world.t.services, weekBefore),
    ])
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(1)
    await world.sink.waitFor(before + 4)
    await Bun.sleep(100)
    const reminders = world.sink.messages.slice(before)
    expect(reminders.map((message) => message.to[0]).sort()).toEqual([
      'bruno@example.com',
      'carla@example.com',
      'diego@example.com',
      'elena@example.com',
    ])
    const first = readMessage(reminders[0]!.raw)
    expect(first.subject).toStartWith('Recordatorio — Convocatoria')
    expect(first.text).toContain('RECORDATORIO de la convocatoria.')
    expect(await sendDueReminders(world.t.services, weekBefore)).toBe(0)

    // The first call moves a day later: the 1-day reminder moves with it, the sent one stays.
    const later = new Date(firstCallAt.getTime() + DAY)
    await world.t.send(
      'PATCH',
      path,
      { firstCallAt: later.toISOString(), secondCallAt: new Date(later.getTime() + HOUR).toISOString() },
      world.ph.admin,
    )
    const rows = await scheduled()
    expect(rows.map((row) => [row.daysBefore, row.dueAt.getTime(), row.sentAt?.getTime() ?? null])).toEqual([
      [1, later.getTime() - DAY, null],
      [7, firstCallAt.getTime() - 7 * DAY, weekBefore.getTime()],
    ])
  })
})
