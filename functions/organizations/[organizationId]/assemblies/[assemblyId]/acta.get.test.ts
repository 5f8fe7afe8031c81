import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
const TITLE = 'Aprobar la pintura de la fachada'

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  await t.closedMotion(ph, { title: TITLE })
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const acta = (query = '', user = ph.owners['1B']) =>
  t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/acta${query}`), undefined, user)

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/acta', () => {
  it('renders printable HTML in Spanish with the PH’s name and the motion’s outcome', async () => {
    const res = await acta()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.text).toStartWith('<!doctype html>')
    expect(res.text).toContain(ph.name)
    expect(res.text).toContain(TITLE)
    expect(res.text).toContain('Aprobada')
    expect(res.text).not.toContain('Rechazada')
  })

  it('renders English on request', async () => {
    const res = await acta('?language=en')
    expect(res.text).toContain('Approved')
    expect(res.text).not.toContain('Aprobada')
  })

  it('adds each attendee’s coefficient when the by-laws are amended', async () => {
    // 1B holds 25 %: the attendee table shows it only for a by-law amendment (art. 71.4).
    const plain = await acta('?amendsBylaws=false')
    const amending = await acta('?amendsBylaws=true')
    const cells = (html: string) => (html.match(/<td class="num">25\.00<\/td>/g) ?? []).length
    expect(cells(amending.text)).toBeGreaterThan(cells(plain.text))
  })

  it('renders a PDF as a download', async () => {
    const response = await t.app.handle(
      new Request(`http://localhost${ph.path(`/assemblies/${ph.assemblyId}/acta?format=pdf`)}`, {
        headers: ph.owners['1A'].headers,
      }),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="acta-1.pdf"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-')
  })

  it.each([
    ['format', '?format=docx'],
    ['language', '?language=fr'],
    ['amendsBylaws', '?amendsBylaws=yes'],
  ])('answers 422 naming query.%s', async (name, query) => {
    const res = await acta(query)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(`query.${name}`)
  })

  it('answers 404 for an unknown assembly', async () => {
    const res = await t.send('GET', ph.path(`/assemblies/${crypto.randomUUID()}/acta`), undefined, ph.admin)
    expect(res.status).toBe(404)
  })
})
