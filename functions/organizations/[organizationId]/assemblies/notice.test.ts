import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { readMessage, type SmtpSink, startSmtpSink } from '../../../../core/mail/smtp-sink.ts'
import { assemblyBody, createPhTestApp, ROSTER_CSV, type TestPh } from '../_testing.ts'

/*
 * Convening emails the notice to every owner through a real SMTP conversation (a tiny SMTP sink),
 * with the date, place, link and agenda; changing the place afterwards sends a corrected notice and
 * both stay in the delivery log.
 */

let sink: SmtpSink
let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: TestPh

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createPhTestApp({ SMTP_URL: sink.url })
  ph = await t.createPh()
  await t.sendRaw(
    'POST',
    ph.path('/units/import?mode=replace'),
    ROSTER_CSV,
    { 'content-type': 'text/csv' },
    ph.admin,
  )
}, 30_000)
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
})

const HOUR = 3_600_000
const DAY = 24 * HOUR

const OWNERS = [
  'ana@example.com',
  'bruno@example.com',
  'carla@example.com',
  'diego@example.com',
  'elena@example.com',
]

describe('the notice of meeting by email', () => {
  it('reaches every owner on convening, then again corrected when the place changes', async () => {
    const created = await t.send(
      'POST',
      ph.path('/assemblies'),
      assemblyBody({
        title: 'Asamblea ordinaria 2027',
        location: 'Salón de eventos',
        meetingUrl: 'https://meet.example.com/ph',
        convenedBy: 'María Pérez',
        convenerPosition: 'Presidenta de la Junta Directiva',
        callText: 'Se convoca a todos los propietarios.',
        firstCallAt: new Date(Date.now() + 12 * DAY).toISOString(),
        secondCallAt: new Date(Date.now() + 12 * DAY + HOUR).toISOString(),
      }),
      ph.admin,
    )
    expect(created.status).toBe(200)
    const assembly = created.body
    await t.send(
      'POST',
      ph.path(`/assemblies/${assembly.id}/agenda`),
      { title: 'Presupuesto 2027' },
      ph.admin,
    )
    // Other tests of this file may have sent mail first (random order): read from here on.
    const first = sink.messages.length
    const convened = await t.send(
      'POST',
      ph.path(`/assemblies/${assembly.id}/transition`),
      { to: 'convened' },
      ph.admin,
    )
    expect(convened.status).toBe(200)
    await sink.waitFor(first + 5)
    const sent = sink.messages.slice(first)
    expect(sent.map((message) => message.to[0]).sort()).toEqual(OWNERS)
    const notice = readMessage(sent.find((message) => message.to[0] === 'ana@example.com')!.raw)
    expect(notice.subject).toContain('Convocatoria: Asamblea ordinaria 2027')
    expect(notice.text).toContain('Lugar: Salón de eventos')
    expect(notice.text).toContain('Enlace de la reunión virtual: https://meet.example.com/ph')
    expect(notice.text).toContain('1. Presupuesto 2027')
    expect(notice.text).toContain('Convoca: María Pérez, Presidenta de la Junta Directiva')
    expect(notice.text).toContain('Fecha de la convocatoria:')
    expect(notice.text).toContain('segunda convocatoria')

    const moved = await t.send(
      'PATCH',
      ph.path(`/assemblies/${assembly.id}`),
      { location: 'Terraza, piso 20' },
      ph.admin,
    )
    expect(moved.status).toBe(200)
    await sink.waitFor(first + 10)
    const corrected = readMessage(
      sink.messages.slice(first + 5).find((message) => message.to[0] === 'ana@example.com')!.raw,
    )
    expect(corrected.subject).toContain('Aviso corregido')
    expect(corrected.text).toContain('Lugar: Terraza, piso 20')
    // Each row is written once the relay has answered: wait for the last of them.
    let kinds: string[] = []
    for (let i = 0; i < 100 && kinds.length < 10; i++) {
      const log = await t.send('GET', ph.path(`/mail-log?subjectId=${assembly.id}`), undefined, ph.admin)
      kinds = log.body.deliveries.map((row: { kind: string }) => row.kind)
      if (kinds.length < 10) await Bun.sleep(50)
    }
    expect(kinds.filter((kind: string) => kind === 'notice')).toHaveLength(5)
    expect(kinds.filter((kind: string) => kind === 'corrected_notice')).toHaveLength(5)
  })
})

describe('the notice as a record', () => {
  it('keeps the first notice and each corrected one (agenda changes too), as HTML and PDF', async () => {
    const created = await t.send(
      'POST',
      ph.path('/assemblies'),
      assemblyBody({
        title: 'Asamblea extraordinaria',
        kind: 'extraordinary',
        firstCallAt: new Date(Date.now() + 4 * DAY).toISOString(),
        secondCallAt: new Date(Date.now() + 4 * DAY + HOUR).toISOString(),
      }),
      ph.admin,
    )
    const path = ph.path(`/assemblies/${created.body.id}`)
    const before = await t.send('GET', `${path}/notice`, undefined, ph.admin)
    expect(before.body).toMatchObject({
      missing: ['agenda'],
      window: { days: 4, min: 3, max: 5, inside: true },
      notices: [],
    })
    await t.send('POST', `${path}/agenda`, { title: 'Cuota extraordinaria' }, ph.admin)
    const start = sink.messages.length
    expect((await t.send('POST', `${path}/transition`, { to: 'convened' }, ph.admin)).status).toBe(200)
    const sent = start + OWNERS.length
    await sink.waitFor(sent)
    await t.send('POST', `${path}/agenda`, { title: 'Reparación del techo' }, ph.admin)
    await sink.waitFor(sent + OWNERS.length)
    const corrected = readMessage(
      sink.messages.slice(sent).find((message) => message.to[0] === 'ana@example.com')!.raw,
    )
    expect(corrected.subject).toContain('Aviso corregido')
    expect(corrected.text).toContain('2. Reparación del techo')

    let notices: { kind: string; changed: string[]; text: string }[] = []
    for (let i = 0; i < 100 && notices.length < 2; i++) {
      notices = (await t.send('GET', `${path}/notice`, undefined, ph.admin)).body.notices
      if (notices.length < 2) await Bun.sleep(50)
    }
    expect(notices.map((notice) => [notice.kind, notice.changed])).toEqual([
      ['notice', []],
      ['corrected_notice', ['agenda']],
    ])
    expect(notices[0]!.text).toContain('1. Cuota extraordinaria')
    expect(notices[0]!.text).not.toContain('Reparación del techo')
    expect(notices[1]!.text).toContain('2. Reparación del techo')

    const html = await t.send('GET', `${path}/notice?format=html`, undefined, ph.admin)
    expect(html.text).toContain('AVISO CORREGIDO')
    expect(html.text).toContain('Reparación del techo')
    const pdf = await t.send('GET', `${path}/notice?format=pdf`, undefined, ph.admin)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.text.startsWith('%PDF-')).toBe(true)
  })
})
