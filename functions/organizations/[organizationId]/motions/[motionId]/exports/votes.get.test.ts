import { describe, expect, it } from 'bun:test'
import Papa from 'papaparse'
import { createTestUser } from '../../../../../../core/services-testing.ts'
import { motionPhForTests } from '../../_testing.ts'

const { t, ph } = motionPhForTests()

const csvOf = async (motionId: string, query = '') => {
  const res = await t.send(
    'GET',
    ph.path(`/motions/${motionId}/exports/votes${query}`),
    undefined,
    ph.owners['1A'],
  )
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
    // The PH's language (Spanish) and its slug, the assembly's date and the motion's title.
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="votaciones-ph-[a-z0-9-]+-2026-03-14-aprobar-el-presupuesto-2026\.csv"$/,
    )
    expect(res.lines[0]).toBe(
      'Unidad,Finca,Coeficiente (%),Al día,Claves,Opciones elegidas,Votó como,Canal,Revisión,Hora del voto (America/Panama),Hash del recibo,' +
        'Registrado por,Tipo de registro en mesa,Motivo',
    )
    const choices = res.lines.slice(1).map((line) => line.split(',').slice(0, 7))
    expect(choices.map((cells) => [cells[0], cells[4], cells[6]])).toEqual([
      ['1A', 'yes', 'Propietario'],
      ['2A', 'yes', 'Apoderado'],
      ['2B', 'no', 'Apoderado'],
    ])
    const english = await csvOf(motionId, '?lang=en')
    expect(english.lines[0]).toStartWith('Unit,Finca,Coefficient (%),Up to date,')
    expect(english.headers.get('content-disposition')).toContain('filename="votes-ph-')
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
      rows.map((row) => [
        row.Unidad,
        row.Canal,
        row['Registrado por'],
        row['Tipo de registro en mesa'],
        row.Motivo,
      ]),
    ).toEqual([
      ['1A', 'Mesa', email, 'Mesa', 'Sin teléfono, votó en la mesa'],
      ['1B', 'Mesa', email, 'Papeleta', 'Papeleta corregida'],
      ['2A', 'Web', '', '', ''],
    ])
  })

  it('never links a unit to a choice on a secret motion', async () => {
    const { motionId, receipts } = await t.closedMotion(ph, { secret: true })
    const res = await csvOf(motionId)
    expect(res.lines[0]).toBe('Registro,Clave,Opción,Unidades,Coeficiente (%),Resultado,Hash del recibo')
    expect(res.text).not.toContain('1A')
    expect(res.text).toContain(receipts.get('1A')!.receiptHash)
  })

  it('refuses a language it does not speak, naming the field', async () => {
    const { motionId } = await t.closedMotion(ph)
    const res = await csvOf(motionId, '?lang=fr')
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body.error.details)).toContain('query.lang')
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await csvOf(crypto.randomUUID())
    expect(res.status).toBe(404)
  })
})
