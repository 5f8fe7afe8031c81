import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type SmtpSink, startSmtpSink } from '../../../../../core/mail/smtp-sink.ts'
import { createPhTestApp, type RosterPh } from '../../_testing.ts'

/*
 * The communications routes over HTTP: the art. 71 summary refused before the close, then sent by the
 * administrator; the list with its counts by unit; one communication unit by unit, filtered and as
 * CSV; a delivery by hand; what an owner may read.
 */

setDefaultTimeout(60_000)

let sink: SmtpSink
let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: RosterPh

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createPhTestApp({ SMTP_URL: sink.url })
  ph = await t.createRosterPh()
})
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
})

describe('…/assemblies/:assemblyId/communications', () => {
  it('sends the summary after the close, lists it by unit, exports it and records a delivery by hand', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
    const path = (rest: string) => ph.path(`/assemblies/${assemblyId}${rest}`)
    expect((await t.send('POST', path('/communications/summary'), undefined, ph.admin)).body.error.code).toBe(
      'assembly_not_closed',
    )
    expect((await t.send('POST', path('/communications/acta'), undefined, ph.admin)).body.error.code).toBe(
      'acta_not_ready',
    )
    expect((await t.send('POST', path('/transition'), { to: 'closed' }, ph.admin)).status).toBe(200)
    // Closed is not enough for the acta: it goes out once reviewed and signed (final).
    expect((await t.send('POST', path('/communications/acta'), undefined, ph.admin)).body.error.code).toBe(
      'acta_not_ready',
    )
    // One owner loses their email: that unit is "sin medio de contacto".
    expect(
      (await t.send('PATCH', ph.path(`/people/${ph.owners['105']}`), { email: null }, ph.admin)).status,
    ).toBe(200)

    const sent = await t.send('POST', path('/communications/summary'), undefined, ph.admin)
    expect(sent.status).toBe(200)
    const owner = await t.signInAs(ph.owners['101']!)
    expect((await t.send('POST', path('/communications/summary'), undefined, owner)).status).toBe(403)

    // Sending runs in the background: the list shows it once every unit has its row.
    let summary: { id: string; units: Record<string, number> } | undefined
    for (let i = 0; i < 100 && summary?.units.total !== 5; i++) {
      await Bun.sleep(100)
      const list = await t.send('GET', path('/communications'), undefined, ph.admin)
      summary = list.body.communications.find((c: { kind: string }) => c.kind === 'summary')
    }
    expect(summary!.units).toEqual({ total: 5, reached: 4, pending: 0, failed: 0, no_contact: 1 })
    const overview = (await t.send('GET', path('/communications'), undefined, ph.admin)).body.overview
    expect(overview.summarySentAt).not.toBeNull()
    expect(Date.parse(overview.summaryDeadline) - Date.parse(overview.closedAt)).toBe(3 * 86_400_000)

    const noContact = await t.send(
      'GET',
      path(`/communications/${summary!.id}?state=no_contact`),
      undefined,
      ph.admin,
    )
    expect(noContact.body.units.map((u: { unitNumber: string }) => u.unitNumber)).toEqual(['105'])
    expect(noContact.body.text).toContain('No se sometió ninguna moción a votación.') // as sent
    const csv = await t.send('GET', path(`/communications/${summary!.id}?format=csv`), undefined, ph.admin)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.text.split('\r\n')[0]).toBe('unit,state,channel,recipient,name,status,error,note,at')
    expect(csv.text).toContain('"101","reached","email","ana@example.com"')
    expect(csv.text).toContain('"105","no_contact","none"')

    const byHand = await t.send(
      'POST',
      path('/communications/hand-delivery'),
      { communicationId: summary!.id, unitId: ph.unitIds['105'], note: 'Bajo la puerta' },
      ph.admin,
    )
    expect(byHand.status).toBe(200)
    expect(byHand.body.state).toBe('reached')
    const again = await t.send(
      'POST',
      path('/communications/hand-delivery'),
      { communicationId: summary!.id, unitId: ph.unitIds['105'] },
      ph.admin,
    )
    expect(again.body.error.code).toBe('already_reached')

    // An owner reads the summary as sent; the acta only once it is sent.
    const published = await t.send('GET', path('/published'), undefined, owner)
    expect(published.body.summary.text).toContain('el resumen de las decisiones tomadas')
    expect(published.body.acta).toBeNull()
  })
})
