import { describe, expect, it } from 'bun:test'
import { readMessage } from '../../../../core/mail/smtp-sink.ts'
import { assemblyBody, phWithMailSink } from '../_testing.ts'

/*
 * Convening emails the notice to every owner through a real SMTP conversation (a tiny SMTP sink),
 * with the date, place, link and agenda; changing the place afterwards sends a corrected notice and
 * both stay in the delivery log.
 */

const world = phWithMailSink()

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
    const created = await world.t.send(
      'POST',
      world.ph.path('/assemblies'),
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
      world.ph.admin,
    )
    expect(created.status).toBe(200)
    const assembly = created.body
    await world.t.send(
      'POST',
      world.ph.path(`/assemblies/${assembly.id}/agenda`),
      { title: 'Presupuesto 2027' },
      world.ph.admin,
    )
    // Other tests of this file may have sent mail first (random order): read from here on.
    const first = world.sink.messages.length
    const convened = await world.t.send(
      'POST',
      world.ph.path(`/assemblies/${assembly.id}/transition`),
      { to: 'convened' },
      world.ph.admin,
    )
    expect(convened.status).toBe(200)
    await world.sink.waitFor(first + 5)
    const sent = world.sink.messages.slice(first)
    expect(sent.map((message) => message.to[0]).sort()).toEqual(OWNERS)
    const notice = readMessage(sent.find((message) => message.to[0] === 'ana@example.com')!.raw)
    expect(notice.subject).toContain('Convocatoria: Asamblea ordinaria 2027')
    expect(notice.text).toContain('Lugar: Salón de eventos')
    expect(notice.text).toContain('Enlace de la reunión virtual: https://meet.example.com/ph')
    expect(notice.text).toContain('1. Presupuesto 2027')
    expect(notice.text).toContain('Convoca: María Pérez, Presidenta de la Junta Directiva')
    expect(notice.text).toContain('Fecha de la convocatoria:')
    expect(notice.text).toContain('segunda convocatoria')

    const moved = await world.t.send(
      'PATCH',
      world.ph.path(`/assemblies/${assembly.id}`),
      { location: 'Terraza, piso 20' },
      world.ph.admin,
    )
    expect(moved.status).toBe(200)
    await world.sink.waitFor(first + 10)
    const corrected = readMessage(
      world.sink.messages.slice(first + 5).find((message) => message.to[0] === 'ana@example.com')!.raw,
    )
    expect(corrected.subject).toContain('Aviso corregido')
    expect(corrected.text).toContain('Lugar: Terraza, piso 20')
    // Each row is written once the relay has answered: wait for the last of them.
    let kinds: string[] = []
    for (let i = 0; i < 100 && kinds.length < 10; i++) {
      const log = await world.t.send(
        'GET',
        world.ph.path(`/mail-log?subjectId=${assembly.id}`),
        undefined,
        world.ph.admin,
      )
      kinds = log.body.deliveries.map((row: { kind: string }) => row.kind)
      if (kinds.length < 10) await Bun.sleep(50)
    }
    expect(kinds.filter((kind: string) => kind === 'notice')).toHaveLength(5)
    expect(kinds.filter((kind: string) => kind === 'corrected_notice')).toHaveLength(5)
  })
})

describe('the notice as a record', () => {
  it('keeps the first notice and each corrected one (agenda changes too), as HTML and PDF', async () => {
    const created = await world.t.send(
      'POST',
      world.ph.path('/assemblies'),
      assemblyBody({
        title: 'Asamblea extraordinaria',
        kind: 'extraordinary',
        firstCallAt: new Date(Date.now() + 4 * DAY).toISOString(),
        secondCallAt: new Date(Date.now() + 4 * DAY + HOUR).toISOString(),
      }),
      world.ph.admin,
    )
    const path = world.ph.path(`/assemblies/${created.body.id}`)
    const before = await world.t.send('GET', `${path}/notice`, undefined, world.ph.admin)
    expect(before.body).toMatchObject({
      missing: ['agenda'],
      window: { days: 4, min: 3, max: 5, inside: true },
      notices: [],
    })
    await world.t.send('POST', `${path}/agenda`, { title: 'Cuota extraordinaria' }, world.ph.admin)
    const start = world.sink.messages.length
    expect(
      (await world.t.send('POST', `${path}/transition`, { to: 'convened' }, world.ph.admin)).status,
    ).toBe(200)
    const sent = start + OWNERS.length
    await world.sink.waitFor(sent)
    await world.t.send('POST', `${path}/agenda`, { title: 'Reparación del techo' }, world.ph.admin)
    await world.sink.waitFor(sent + OWNERS.length)
    const corrected = readMessage(
      world.sink.messages.slice(sent).find((message) => message.to[0] === 'ana@example.com')!.raw,
    )
    expect(corrected.subject).toContain('Aviso corregido')
    expect(corrected.text).toContain('2. Reparación del techo')

    let notices: { kind: string; changed: string[]; text: string }[] = []
    for (let i = 0; i < 100 && notices.length < 2; i++) {
      notices = (await world.t.send('GET', `${path}/notice`, undefined, world.ph.admin)).body.notices
      if (notices.length < 2) await Bun.sleep(50)
    }
    expect(notices.map((notice) => [notice.kind, notice.changed])).toEqual([
      ['notice', []],
      ['corrected_notice', ['agenda']],
    ])
    expect(notices[0]!.text).toContain('1. Cuota extraordinaria')
    expect(notices[0]!.text).not.toContain('Reparación del techo')
    expect(notices[1]!.text).toContain('2. Reparación del techo')

    const html = await world.t.send('GET', `${path}/notice?format=html`, undefined, world.ph.admin)
    expect(html.text).toContain('AVISO CORREGIDO')
    expect(html.text).toContain('Reparación del techo')
    const pdf = await world.t.send('GET', `${path}/notice?format=pdf`, undefined, world.ph.admin)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.text.startsWith('%PDF-')).toBe(true)
  })
})
