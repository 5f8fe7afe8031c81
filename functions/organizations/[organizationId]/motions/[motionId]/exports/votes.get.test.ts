import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import Papa from 'papaparse'
import { createTestUser } from '../../../../../_lib/testing.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const csvOf = async (motionId: string) => {
  const res = await t.send('GET', ph.path(`/motions/${motionId}/exports/votes`), undefined, ph.owners['1A'])
  return {
    ...res,
    lines: res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n'),
  }
}

describe('GET /api/organizations/:organizationId/motions/:motionId/exports/votes', () => {
  it('lists who voted how on a named motion, under a header row', async () => {
    const { motionId } = await t.closedMotion(ph)
    const res = await csvOf(motionId)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="votes-${motionId}.csv"`)
    expect(res.lines[0]).toBe(
      'unit,finca,weight,up_to_date,options,option_labels,voted_as,channel,revision,cast_at,receipt_hash,' +
        'recorded_by,desk_kind,desk_reason',
    )
    const choices = res.lines.slice(1).map((line) => line.split(',').slice(0, 7))
    expect(choices.map((cells) => [cells[0], cells[4], cells[6]])).toEqual([
      ['1A', 'yes', 'owner'],
      ['2A', 'yes', 'proxy'],
      ['2B', 'no', 'proxy'],
    ])
  })

  it('names the staff member, the kind and the reason of each ballot recorded at the desk', async () => {
    const email = `mesa-${crypto.randomUUID().slice(0, 8)}@example.com`
    const staff = await createTestUser(t.services, {
      email,
      roles: [{ organizationId: ph.organizationId, role: 'checkin_staff' }],
    })
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const desk = (kind: string, reason: string, unit: '1A' | '1B', option: string) =>
      t.send(
        'POST',
        ph.path(`/motions/${motionId}/desk-ballots`),
        { kind, reason, ballots: [{ unitId: ph.scenario.unit(unit), optionKeys: [option] }] },
        staff,
      )
    expect((await desk('desk', 'Sin teléfono, votó en la mesa', '1A', 'no')).status).toBe(200)
    // 1B first by show of hands, then corrected at the desk: the latest record is the one shown.
    expect((await desk('show_of_hands', 'Mano alzada', '1B', 'no')).status).toBe(200)
    expect((await desk('paper', 'Papeleta corregida', '1B', 'yes')).status).toBe(200)
    const holder = await t.vote(ph, motionId, ph.holder, [{ unit: '2A', options: ['yes'] }])
    expect(holder.status).toBe(200)
    expect((await t.closeMotion(ph, motionId)).status).toBe(200)
    const res = await csvOf(motionId)
    const rows = Papa.parse<Record<string, string>>(res.text.replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data
    expect(
      rows.map((row) => [row.unit, row.channel, row.recorded_by, row.desk_kind, row.desk_reason]),
    ).toEqual([
      ['1A', 'desk', email, 'desk', 'Sin teléfono, votó en la mesa'],
      ['1B', 'desk', email, 'paper', 'Papeleta corregida'],
      ['2A', 'web', '', '', ''],
    ])
  })

  it('never links a unit to a choice on a secret motion', async () => {
    const { motionId, receipts } = await t.closedMotion(ph, { secret: true })
    const res = await csvOf(motionId)
    expect(res.lines[0]).toBe('record,key,label,units,coefficient,receipt_hash')
    expect(res.text).not.toContain('1A')
    expect(res.text).toContain(receipts.get('1A')!.receiptHash)
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await csvOf(crypto.randomUUID())
    expect(res.status).toBe(404)
  })
})
