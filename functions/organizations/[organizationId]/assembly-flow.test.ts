import { expect, it, setDefaultTimeout } from 'bun:test'
import { step } from '../../../core/story-testing.ts'
import { assemblyBody, type PersonUser, pdfBytes, phForTests, ROSTER_CSV } from './_testing.ts'

/*
 * A whole assembly through the HTTP API, step by step (each `it` builds on the previous ones): the roster
 * imported from CSV, an assembly with its agenda convened and started, a proxy with its signed document,
 * the desk checking units in by search and by scanned code until the quorum is reached, and a check-out
 * that loses it again. Roster: 101 30 %, 102 25 %, 103 20 %, 104 15 %, 105 10 %; quorum: more than 50 %.
 */

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

const { t, ph } = phForTests()
let assemblyId: string
let proxyId: string
let owners: Record<string, string>
let unitIds: Record<string, string>
let ana: PersonUser
const signedDocument = pdfBytes('poder de la unidad 104')

const assembly = (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`)
const importCsv = (csv: string, query = '') =>
  t.sendRaw('POST', ph.path(`/units/import${query}`), csv, { 'content-type': 'text/csv' }, ph.admin)
const unitCount = async () => (await t.send('GET', ph.path('/units'), undefined, ph.admin)).body.total
const quorum = async () => (await t.send('GET', assembly('/quorum'), undefined, ph.admin)).body

it('running an assembly through the API', async () => {
  await step('previews the roster import in a dry run without writing anything', async () => {
    const res = await importCsv(ROSTER_CSV, '?dryRun=true')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ dryRun: true, applied: false, errors: [] })
    expect(res.body.created.map((unit: { number: string }) => unit.number)).toEqual([
      '101',
      '102',
      '103',
      '104',
      '105',
    ])
    expect(await unitCount()).toBe(0)
  })

  await step('refuses a bad file with errors by line and column, changing nothing', async () => {
    const bad = ROSTER_CSV.replace('bruno@example.com', 'bruno(at)example').replace(';10;Elena', ';11;Elena')
    const res = await importCsv(bad, '?mode=replace')
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('import_invalid')
    expect(res.body.error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, column: 'email', code: 'invalid_email' }),
        expect.objectContaining({ line: null, code: 'sum_mismatch' }),
      ]),
    )
    expect(await unitCount()).toBe(0)
  })

  await step('imports the roster', async () => {
    const res = await importCsv(ROSTER_CSV)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ applied: true, after: { units: 5, coefficient: '100.000000000' } })
    owners = await t.ownersByUnit(ph)
    unitIds = await t.unitIds(ph)
    expect(Object.keys(unitIds)).toHaveLength(5)
  })

  await step('lets units in arrears vote in this PH (a setting; voice but no vote by default)', async () => {
    const res = await t.send('PATCH', ph.path(''), { arrearsVoting: 'full_vote' }, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ arrearsVoting: 'full_vote', sealNamedResults: true })
  })

  await step('creates an assembly with a cap of one proxy per holder', async () => {
    const res = await t.send(
      'POST',
      ph.path('/assemblies'),
      assemblyBody({ maxProxiesPerHolder: 1 }),
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ number: 1, status: 'draft', maxProxiesPerHolder: 1 })
    assemblyId = res.body.id
  })

  await step('does not let check-in staff create assemblies', async () => {
    const res = await t.send('POST', ph.path('/assemblies'), assemblyBody(), ph.staff)
    expect(res.status).toBe(403)
  })

  await step('builds the agenda in order', async () => {
    await t.send('POST', assembly('/agenda'), { title: 'Aprobación del presupuesto' }, ph.admin)
    const res = await t.send(
      'POST',
      assembly('/agenda'),
      { title: 'Verificación del quórum', position: 1 },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(
      res.body.items.map((item: { title: string; position: number }) => [item.position, item.title]),
    ).toEqual([
      [1, 'Verificación del quórum'],
      [2, 'Aprobación del presupuesto'],
    ])
  })

  await step('convenes and starts the meeting, recording the quorum at the start', async () => {
    const convened = await t.send(
      'POST',
      assembly('/transition'),
      { to: 'convened', windowOverrideReason: 'The test meeting is in the past' },
      ph.admin,
    )
    const started = await t.send('POST', assembly('/transition'), { to: 'in_progress' }, ph.admin)
    expect([convened.status, started.status]).toEqual([200, 200])
    expect(started.body.assembly.status).toBe('in_progress')
    expect(started.body.event.kind).toBe('started')
    expect(started.body.quorum).toMatchObject({ reached: false, byUnits: { present: 0 } })
  })

  await step('registers a proxy of unit 104 for a non-owner, with the signed document', async () => {
    const form = new FormData()
    form.set('grantorUnitId', unitIds['104']!)
    form.set('holder', JSON.stringify({ fullName: 'Pedro Apoderado', email: 'pedro@example.com' }))
    form.set('document', new File([signedDocument], 'poder.pdf', { type: 'application/pdf' }))
    const res = await t.sendRaw('POST', assembly('/proxies'), form, {}, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      unitNumber: '104',
      holderName: 'Pedro Apoderado',
      status: 'active',
      hasDocument: true,
    })
    proxyId = res.body.id
  })

  await step('gives back the signed document as it was uploaded', async () => {
    const response = await t.download(assembly(`/proxies/${proxyId}/document`), ph.staff)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(signedDocument)
  })

  await step('refuses a second proxy for the same unit', async () => {
    const res = await t.send(
      'POST',
      assembly('/proxies'),
      { grantorUnitId: unitIds['104'], holderPersonId: owners['102'] },
      ph.staff,
    )
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('proxy_exists')
  })

  await step('refuses a proxy beyond the cap per holder', async () => {
    const res = await t.send(
      'POST',
      assembly('/proxies'),
      {
        grantorUnitId: unitIds['105'],
        holder: { fullName: 'Pedro Apoderado', email: 'pedro@example.com' },
      },
      ph.staff,
    )
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('proxy_cap_reached')
  })

  await step('checks in an owner found by search at the desk', async () => {
    const search = await t.send('GET', assembly('/attendance/search?q=carla'), undefined, ph.staff)
    const match = search.body.matches[0]
    expect(match).toMatchObject({ number: '103', attendance: null })
    const res = await t.send(
      'POST',
      assembly('/attendance/check-in'),
      {
        personId: match.owners[0].personId,
        mode: 'in_person',
      },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body.quorum).toMatchObject({ reached: false, byCoefficient: { present: '20.000000000' } })
  })

  await step('checks in an owner by the code the owner shows', async () => {
    ana = await t.signInAs(owners['101']!)
    const code = await t.send('GET', assembly('/attendance/my-code'), undefined, ana)
    expect(code.status).toBe(200)
    const res = await t.send(
      'POST',
      assembly('/attendance/check-in'),
      { token: code.body.token, mode: 'in_person' },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body.checkedIn.map((row: { unitNumber: string }) => row.unitNumber)).toEqual(['101'])
    expect(res.body.quorum).toMatchObject({ reached: false, byCoefficient: { present: '50.000000000' } })
  })

  await step('reaches the quorum when the proxy holder checks in for unit 104', async () => {
    const search = await t.send('GET', assembly('/attendance/search?q=pedro'), undefined, ph.staff)
    const match = search.body.matches[0]
    expect(match).toMatchObject({ number: '104', proxy: { proxyId } })
    const res = await t.send(
      'POST',
      assembly('/attendance/check-in'),
      {
        personId: match.proxy.holderPersonId,
        mode: 'in_person',
      },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body.checkedIn[0]).toMatchObject({ unitNumber: '104', proxyId })
  })

  await step('shows the quorum reached', async () => {
    expect(await quorum()).toMatchObject({
      reached: true,
      byCoefficient: { present: '65.000000000', total: '100.000000000', met: true },
      byUnits: { present: 3, total: 5 },
    })
  })

  await step('revokes the proxy when its owner checks in personally', async () => {
    const res = await t.send(
      'POST',
      assembly('/attendance/check-in'),
      { personId: owners['104'], mode: 'in_person' },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body.revokedProxies).toEqual([
      expect.objectContaining({ proxyId, reason: 'owner_checked_in' }),
    ])
    const proxies = await t.send('GET', assembly('/proxies'), undefined, ph.staff)
    expect(proxies.body.proxies[0]).toMatchObject({
      id: proxyId,
      status: 'revoked',
      revokedReason: 'owner_checked_in',
    })
  })

  await step('keeps unit 104 present once, now through its owner', async () => {
    const res = await t.send('GET', assembly('/attendance?openOnly=true'), undefined, ph.staff)
    const unit104 = res.body.attendance.filter((row: { unitNumber: string }) => row.unitNumber === '104')
    expect(unit104).toEqual([expect.objectContaining({ personId: owners['104'], proxyId: null })])
  })

  let motionId = ''
  const voteFor101 = () =>
    t.send(
      'POST',
      ph.path(`/motions/${motionId}/votes`),
      { ballots: [{ unitId: unitIds['101'], optionKeys: ['yes'] }] },
      ana,
    )

  await step('lets the owner of 101 vote while checked in (the vote path caches the facts)', async () => {
    const created = await t.send(
      'POST',
      assembly('/motions'),
      { title: 'Pintar la fachada', requiresQuorum: false },
      ph.admin,
    )
    expect(created.status).toBe(200)
    motionId = created.body.id
    expect((await t.send('POST', ph.path(`/motions/${motionId}/open`), undefined, ph.admin)).status).toBe(200)
    const res = await voteFor101()
    expect(res.status).toBe(200)
  })

  await step('loses the quorum when an owner checks out', async () => {
    const res = await t.send(
      'POST',
      assembly('/attendance/check-out'),
      { unitIds: [unitIds['101']] },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(await quorum()).toMatchObject({ reached: false, byCoefficient: { present: '35.000000000' } })
  })

  await step('logs the quorum over time for the acta', async () => {
    const res = await t.send('GET', assembly('/quorum/history'), undefined, ana)
    expect(res.status).toBe(200)
    expect(res.body.entries.map((entry: { reached: boolean }) => entry.reached)).toEqual([
      false, // start
      false, // 103
      false, // 101
      true, // 104 by proxy
      true, // 104 by its owner
      false, // 101 leaves
    ])
  })

  await step('does not let an owner list the people of the PH', async () => {
    const res = await t.send('GET', ph.path('/people'), undefined, ana)
    expect(res.status).toBe(403)
  })

  await step(
    'refuses the owner of 101 once checked out: the check-out reached the cached vote path',
    async () => {
      const res = await voteFor101()
      expect(res.status).toBe(409)
      expect(res.body.error.details.rejected).toEqual([expect.objectContaining({ code: 'not_present' })])
    },
  )
}, 120_000)
