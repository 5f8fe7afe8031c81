import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readMessage, type SmtpSink, startSmtpSink } from '../../../../../core/mail/smtp-sink.ts'
import { createPhTestApp } from '../../_testing.ts'

/*
 * The administrator decides on a proxy an owner filed: the owner is told either way (with the reason
 * of a refusal), the holder only on approval; a refused proxy is stored as refused, shown to the
 * owner with its reason and frees the unit.
 */

setDefaultTimeout(30_000)

const HOUR = 3_600_000
let sink: SmtpSink
let t: Awaited<ReturnType<typeof createPhTestApp>>

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createPhTestApp({ SMTP_URL: sink.url })
})
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
})

describe('POST …/proxies/:proxyId/decision tells the owner and the holder', () => {
  it('emails the owner and the holder on approval, only the owner (with the reason) on refusal', async () => {
    const ph = await t.createRosterPh()
    const owner = await t.signInAs(ph.owners['104']!)
    await t.send('PATCH', ph.path(''), { ownerProxiesNeedApproval: true }, ph.admin)
    const firstCallAt = new Date(Date.now() + 72 * HOUR)
    const assemblyId = await t.createAssembly(ph, {
      changes: {
        firstCallAt: firstCallAt.toISOString(),
        secondCallAt: new Date(firstCallAt.getTime() + HOUR).toISOString(),
      },
    })
    const path = (rest: string) => ph.path(`/assemblies/${assemblyId}${rest}`)
    const holder = `elena-${crypto.randomUUID().slice(0, 8)}@example.com`
    const file = () =>
      t.send(
        'POST',
        path('/my-proxies'),
        { grantorUnitId: ph.unitIds['104'], holder: { email: holder, fullName: 'Elena Vega' } },
        owner,
      )
    const decide = (proxyId: string, body: object) =>
      t.send('POST', path(`/proxies/${proxyId}/decision`), body, ph.admin)
    const mailTo = (email: string, subject: string) =>
      sink.messages
        .filter((message) => message.to.includes(email))
        .map((message) => readMessage(message.raw))
        .filter((message) => message.subject.startsWith(subject))

    const first = await file()
    expect(first.body.status).toBe('pending')
    expect((await decide(first.body.id, { decision: 'approve' })).body.status).toBe('active')
    const [approvedToOwner] = mailTo('diego@example.com', 'Poder aprobado: unidad 104')
    const phName = (await t.send('GET', ph.path(''), undefined, ph.admin)).body.name
    expect(approvedToOwner!.subject).toContain(phName)
    expect(approvedToOwner!.text).toContain('aprobó el poder que usted dio a Elena Vega')
    const [approvedToHolder] = mailTo(holder, 'Poder aprobado: unidad 104')
    expect(approvedToHolder!.text).toContain('usted representará la unidad 104')

    await t.send('POST', path(`/my-proxies/${first.body.id}/revoke`), undefined, owner)
    const second = await file()
    const refused = await decide(second.body.id, {
      decision: 'refuse',
      reason: 'Falta la firma del propietario',
    })
    expect(refused.body.status).toBe('refused')
    expect(refused.body.revokedReason).toBe('Falta la firma del propietario')
    const [refusedToOwner] = mailTo('diego@example.com', 'Poder rechazado: unidad 104')
    expect(refusedToOwner!.text).toContain('Motivo: Falta la firma del propietario.')
    expect(mailTo(holder, 'Poder rechazado')).toEqual([])

    // The owner sees the refusal and why; the unit is free to be given again.
    const me = await t.send('GET', path('/me'), undefined, owner)
    expect(me.body.proxiesGiven).toContainEqual(
      expect.objectContaining({
        proxyId: second.body.id,
        status: 'refused',
        reason: 'Falta la firma del propietario',
      }),
    )
    const log = await t.send('GET', ph.path(`/mail-log?subjectId=${second.body.id}`), undefined, ph.admin)
    expect(log.body.deliveries).toContainEqual(
      expect.objectContaining({ kind: 'proxy_decision', recipient: 'diego@example.com', status: 'accepted' }),
    )
    const third = await file()
    expect(third.body.status).toBe('pending')

    // The administration approves it, then revokes it: both the owner and the holder are told why.
    await decide(third.body.id, { decision: 'approve' })
    const revoked = await t.send(
      'POST',
      path(`/proxies/${third.body.id}/revoke`),
      { reason: 'Poder vencido' },
      ph.admin,
    )
    expect(revoked.body.proxy.status).toBe('revoked')
    expect(mailTo(holder, 'Poder revocado: unidad 104')[0]!.text).toContain(
      'revocó el poder con el que usted representaba la unidad 104',
    )
    expect(mailTo('diego@example.com', 'Poder revocado: unidad 104')[0]!.text).toContain(
      'Motivo: Poder vencido.',
    )
  })
})
