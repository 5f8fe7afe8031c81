import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readMessage, type SmtpSink, startSmtpSink } from '../../../../../core/mail/smtp-sink.ts'
import { createPhTestApp, type PersonUser, pdfBytes, type RosterPh } from '../../_testing.ts'

/* Proxies filed by owners from their home: scope, holder by email or cédula, directed votes, approval, deadline. */

setDefaultTimeout(30_000)

let sink: SmtpSink
let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: RosterPh
let ana: PersonUser
let bruno: PersonUser

const HOUR = 3_600_000

beforeAll(async () => {
  sink = startSmtpSink()
  t = await createPhTestApp({ SMTP_URL: sink.url })
  ph = await t.createRosterPh()
  ana = await t.signInAs(ph.owners['101']!)
  bruno = await t.signInAs(ph.owners['102']!)
})
afterAll(async () => {
  await t.services.close()
  t.services.mailer.close()
  sink.stop()
})

/** An owner files a proxy from their home in the assembly at `path`. */
const fileProxy = (path: (rest?: string) => string, body: unknown, owner: PersonUser) =>
  t.send('POST', path('/my-proxies'), body, owner)

/** A convened assembly whose first call is `hoursAhead` from now, in `target` (default the shared PH). */
async function upcoming(hoursAhead = 72, target: RosterPh = ph) {
  const firstCallAt = new Date(Date.now() + hoursAhead * HOUR)
  const assemblyId = await t.createAssembly(target, {
    changes: {
      firstCallAt: firstCallAt.toISOString(),
      secondCallAt: new Date(firstCallAt.getTime() + HOUR).toISOString(),
    },
  })
  return { assemblyId, path: (rest = '') => target.path(`/assemblies/${assemblyId}${rest}`) }
}

describe('POST …/assemblies/:assemblyId/my-proxies', () => {
  it('files a proxy for a non-owner named by email, creates the person and emails the holder', async () => {
    const { path } = await upcoming()
    const res = await fileProxy(
      path,
      {
        grantorUnitId: ph.unitIds['101'],
        holder: { email: 'Sobrina.Perez@example.com', fullName: 'Lucía Pérez' },
      },
      ana,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      unitNumber: '101',
      holderName: 'Lucía Pérez',
      holderEmail: 'sobrina.perez@example.com',
      status: 'active',
      filedByOwner: true,
      instructions: null,
    })
    const mail = sink.messages.filter((message) => message.to.includes('sobrina.perez@example.com'))
    // One message (a retry under load, after a slow answer from the relay, repeats its Message-ID).
    expect(new Set(mail.map((message) => /^Message-ID:\s*(\S+)/im.exec(message.raw)?.[1])).size).toBe(1)
    const text = readMessage(mail[0]!.raw).text
    expect(text).toContain('Ana Pérez le otorgó un poder para representar la unidad 101')
    const log = await t.send('GET', ph.path('/mail-log'), undefined, ph.admin)
    expect(log.body.deliveries).toContainEqual(
      expect.objectContaining({
        kind: 'proxy_filed',
        recipient: 'sobrina.perez@example.com',
        status: 'accepted',
      }),
    )
  })

  it('finds an existing person by cédula and attaches the signed document', async () => {
    const { path } = await upcoming()
    const person = await t.send(
      'POST',
      ph.path('/people'),
      { fullName: 'Marta Gómez', documentId: '8-123-456' },
      ph.admin,
    )
    expect(person.status).toBe(200)
    const body = new FormData()
    body.set('grantorUnitId', ph.unitIds['102']!)
    body.set('holder', JSON.stringify({ documentId: '8-123-456' }))
    body.set('document', new File([pdfBytes()], 'poder.pdf'))
    const res = await t.sendRaw('POST', path('/my-proxies'), body, {}, bruno)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ holderPersonId: person.body.id, hasDocument: true })
  })

  it('refuses a unit the owner does not own, and changes nothing', async () => {
    const { path } = await upcoming()
    const res = await fileProxy(
      path,
      { grantorUnitId: ph.unitIds['103'], holder: { email: 'x@example.com', fullName: 'X' } },
      ana,
    )
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('not_unit_owner')
    const list = await t.send('GET', path('/proxies'), undefined, ph.admin)
    expect(list.body.proxies ?? list.body).toEqual([])
  })

  it('names the field: no email nor cédula, or an unknown holder without a name', async () => {
    const { path } = await upcoming()
    const none = await fileProxy(path, { grantorUnitId: ph.unitIds['101'], holder: {} }, ana)
    expect(none.status).toBe(422)
    expect(none.body.error.details[0].field).toBe('holder.email')
    const nameless = await fileProxy(
      path,
      { grantorUnitId: ph.unitIds['101'], holder: { email: 'nadie@example.com' } },
      ana,
    )
    expect(nameless.status).toBe(422)
    expect(nameless.body.error.details[0].field).toBe('holder.fullName')
    const badEmail = await fileProxy(
      path,
      { grantorUnitId: ph.unitIds['101'], holder: { email: 'not-an-email', fullName: 'X' } },
      ana,
    )
    expect(badEmail.status).toBe(422)
    expect(badEmail.body.error.details[0].field).toBe('holder.email')
  })

  it('stores per-motion instructions and refuses a motion or option that does not exist', async () => {
    const { path } = await upcoming()
    const motion = await t.send('POST', path('/motions'), { title: 'Presupuesto 2027' }, ph.admin)
    expect(motion.status).toBe(200)
    const file = (instructions: Record<string, string>) =>
      fileProxy(
        path,
        {
          grantorUnitId: ph.unitIds['101'],
          holder: { email: 'bruno@example.com' },
          instructions,
        },
        ana,
      )
    const wrongOption = await file({ [motion.body.id]: 'maybe' })
    expect(wrongOption.status).toBe(422)
    expect(wrongOption.body.error.details[0].field).toBe(`instructions.${motion.body.id}`)
    const otherMotion = await file({ [crypto.randomUUID()]: 'yes' })
    expect(otherMotion.status).toBe(422)
    const ok = await file({ [motion.body.id]: 'no' })
    expect(ok.status).toBe(200)
    expect(ok.body.instructions).toEqual({ [motion.body.id]: 'no' })
    // The holder sees it on their home, with the instruction; the owner sees it given, and their unit.
    const held = await t.send('GET', path('/me'), undefined, bruno)
    expect(held.body.proxiesHeld).toEqual([
      expect.objectContaining({
        unitNumber: '101',
        status: 'active',
        instructions: { [motion.body.id]: 'no' },
      }),
    ])
    const mine = await t.send('GET', path('/me'), undefined, ana)
    expect(mine.body.proxiesGiven).toEqual([
      expect.objectContaining({ unitNumber: '101', holderName: 'Bruno Díaz' }),
    ])
    expect(mine.body.ownedUnits).toEqual([expect.objectContaining({ number: '101', upToDate: false })])
    expect(mine.body.proxyRules).toMatchObject({ needsApproval: false, deadlineHours: 0 })
  })

  it('lets the owner revoke before the meeting, once, and nobody else', async () => {
    const { path } = await upcoming()
    const filed = await fileProxy(
      path,
      { grantorUnitId: ph.unitIds['101'], holder: { email: 'carla@example.com' } },
      ana,
    )
    expect(filed.status).toBe(200)
    const revoke = (user: PersonUser) =>
      t.send('POST', path(`/my-proxies/${filed.body.id}/revoke`), undefined, user)
    expect((await revoke(bruno)).body.error.code).toBe('not_unit_owner')
    const done = await revoke(ana)
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('revoked')
    const again = await revoke(ana)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('proxy_not_active')
  })

  it('refuses another PH’s assembly (404) and a signed-in stranger (404)', async () => {
    const other = await t.createRosterPh()
    const { path } = await upcoming(72, other)
    const res = await fileProxy(
      path,
      { grantorUnitId: ph.unitIds['101'], holder: { email: 'bruno@example.com' } },
      ana,
    )
    expect(res.status).toBe(404)
  })
})

describe('PH rules for owner-filed proxies', () => {
  it('keeps the proxy pending until the administrator approves it; a refused one frees the unit', async () => {
    const own = await t.createRosterPh()
    const owner = await t.signInAs(own.owners['104']!)
    const settings = await t.send('PATCH', own.path(''), { ownerProxiesNeedApproval: true }, own.admin)
    expect(settings.status).toBe(200)
    expect(settings.body.ownerProxiesNeedApproval).toBe(true)
    const { path } = await upcoming(72, own)
    const file = () =>
      fileProxy(path, { grantorUnitId: own.unitIds['104'], holder: { email: 'elena@example.com' } }, owner)
    const filed = await file()
    expect(filed.body.status).toBe('pending')
    expect((await file()).body.error.code).toBe('proxy_exists')
    const decide = (proxyId: string, decision: string, user = own.admin) =>
      t.send('POST', path(`/proxies/${proxyId}/decision`), { decision }, user)
    expect((await decide(filed.body.id, 'approve', own.staff)).status).toBe(403)
    expect((await decide(filed.body.id, 'perhaps')).status).toBe(422)
    const approved = await decide(filed.body.id, 'approve')
    expect(approved.status).toBe(200)
    expect(approved.body.status).toBe('active')
    expect((await decide(filed.body.id, 'refuse')).body.error.code).toBe('proxy_not_pending')

    await t.send('POST', path(`/my-proxies/${filed.body.id}/revoke`), undefined, owner)
    const second = await file()
    const refused = await decide(second.body.id, 'refuse')
    expect(refused.body.status).toBe('refused')
    expect((await file()).body.status).toBe('pending')
  })

  it('refuses a proxy filed after the deadline (hours before the first call)', async () => {
    const own = await t.createRosterPh()
    const owner = await t.signInAs(own.owners['103']!)
    const bad = await t.send('PATCH', own.path(''), { ownerProxyDeadlineHours: -1 }, own.admin)
    expect(bad.status).toBe(422)
    await t.send('PATCH', own.path(''), { ownerProxyDeadlineHours: 24 }, own.admin)
    /** 103's owner files a proxy for the assembly whose first call is `hours` ahead. */
    const fileBefore = async (hours: number) =>
      fileProxy(
        (await upcoming(hours, own)).path,
        { grantorUnitId: own.unitIds['103'], holder: { email: 'diego@example.com' } },
        owner,
      )
    const res = await fileBefore(12)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('proxy_deadline_passed')
    const ok = await fileBefore(48)
    expect(ok.status).toBe(200)
  })
})
