import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../../motions/_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const HEADER =
  'Unidad,Finca,Coeficiente (%),Propietarios,Asistente,Calidad,Modalidad,Entrada (America/Panama),Salida (America/Panama)'

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/exports/attendance', () => {
  it('downloads the attendance as CSV with a header row and one row per check-in', async () => {
    const response = await t.app.handle(
      new Request(`http://localhost${ph.path(`/assemblies/${ph.assemblyId}/exports/attendance`)}`, {
        headers: ph.owners['1A'].headers,
      }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="asistencia-ph-[a-z0-9-]+-2026-03-14\.csv"$/,
    )
    const bytes = new Uint8Array(await response.arrayBuffer())
    // A BOM, so spreadsheets read the accents as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n')
    expect(lines[0]).toBe(HEADER)
    // 1A, 1B and the holder's 2A and 2B are checked in; 3A is absent.
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(['1A', '1B', '2A', '2B'])
  })

  it('answers 404 for an unknown assembly', async () => {
    const res = await t.send(
      'GET',
      ph.path(`/assemblies/${crypto.randomUUID()}/exports/attendance`),
      undefined,
      ph.admin,
    )
    expect(res.status).toBe(404)
  })
})
