import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createPhTestApp, pdfBytes, type RosterPh } from '../../_testing.ts'
import { MAX_DOCUMENT_BYTES } from './_proxy-document.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: RosterPh

beforeAll(async () => {
  // Large enough for a document just over its own limit.
  t = await createPhTestApp({ BODY_LIMIT_BYTES: String(8 * 1024 * 1024) })
  ph = await t.createRosterPh()
})
afterAll(() => t.services.close())

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

/** A convened assembly of the PH, with helpers that act on it as the desk. */
async function newAssembly(changes: Record<string, unknown> = {}) {
  const assemblyId = await t.createAssembly(ph, { changes })
  const path = (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`)
  /** Registers a proxy of `unit` held by the owner of `holderUnit`, in JSON. */
  const register = (unit: string, holderUnit: string) =>
    t.send(
      'POST',
      path('/proxies'),
      { grantorUnitId: ph.unitIds[unit], holderPersonId: ph.owners[holderUnit] },
      ph.staff,
    )
  /** Registers a proxy of 102 held by the owner of 103, uploading a document named `name`. */
  const upload = (bytes: Uint8Array<ArrayBuffer>, name: string) => {
    const body = new FormData()
    body.set('grantorUnitId', ph.unitIds['102']!)
    body.set('holderPersonId', ph.owners['103']!)
    // Bun types a form part by its file name, as a browser upload would be.
    body.set('document', new File([bytes], name))
    return t.sendRaw('POST', path('/proxies'), body, {}, ph.staff)
  }
  return { assemblyId, path, register, upload }
}

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/proxies', () => {
  it('registers a proxy for an existing person', async () => {
    const { register } = await newAssembly()
    const res = await register('101', '102')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      unitNumber: '101',
      holderPersonId: ph.owners['102'],
      holderName: 'Bruno Díaz',
      status: 'active',
      hasDocument: false,
    })
  })

  it('creates the holder when they are new to the PH', async () => {
    const { path } = await newAssembly()
    const res = await t.send(
      'POST',
      path('/proxies'),
      {
        grantorUnitId: ph.unitIds['101'],
        holder: { fullName: 'Nuevo Apoderado', phone: '6000-0001' },
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
      ph.staff,
    )
    expect(res.status).toBe(200)
    const holder = await t.send('GET', ph.path(`/people/${res.body.holderPersonId}`), undefined, ph.staff)
    expect(holder.body).toMatchObject({ fullName: 'Nuevo Apoderado', phone: '+50760000001' })
  })

  it('announces the new proxy on the assembly', async () => {
    const { assemblyId, register } = await newAssembly()
    const watch = await t.watchChanges(ph.organizationId, assemblyId)
    await register('103', '102')
    // The holder becomes a proxy holder: their cached roles go too.
    expect(await watch.seen()).toEqual({
      kinds: ['proxy'],
      factsChanged: true,
      membershipChanged: true,
      topicWoken: true,
    })
  })

  it('answers 409 for a unit that already has an active proxy', async () => {
    const { register } = await newAssembly()
    await register('101', '102')
    const res = await register('101', '103')
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('proxy_exists')
  })

  it('answers 409 once the holder represents as many units as the cap allows', async () => {
    const { register } = await newAssembly({ maxProxiesPerHolder: 2 })
    await register('101', '105')
    await register('102', '105')
    const res = await register('103', '105')
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'proxy_cap_reached', details: { cap: 2, held: 2 } })
  })

  it('answers 422 when the holder owns the unit', async () => {
    const { register } = await newAssembly()
    const res = await register('101', '101')
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('holder_owns_unit')
  })

  it.each([
    ['both a person and a new holder', { holderPersonId: crypto.randomUUID(), holder: { fullName: 'X' } }],
    ['no holder at all', {}],
  ])('answers 422 for %s', async (_name, holder) => {
    const { path } = await newAssembly()
    const res = await t.send(
      'POST',
      path('/proxies'),
      { grantorUnitId: ph.unitIds['101'], ...holder },
      ph.staff,
    )
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('body.holderPersonId')
  })

  it('does not let an owner register proxies', async () => {
    const { path } = await newAssembly()
    const owner = await t.signInAs(ph.owners['104']!)
    const body = { grantorUnitId: ph.unitIds['104'], holderPersonId: ph.owners['102'] }
    const res = await t.send('POST', path('/proxies'), body, owner)
    expect(res.status).toBe(403)
  })
})

describe('the signed document of a proxy', () => {
  it('gives back an uploaded PNG with its content type', async () => {
    const { path, upload } = await newAssembly()
    const created = await upload(PNG, 'poder.png')
    expect(created.status).toBe(200)
    const response = await t.download(path(`/proxies/${created.body.id}/document`), ph.admin)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG)
  })

  it('tells the type by the content when the file name has no extension', async () => {
    const { path, upload } = await newAssembly()
    const created = await upload(pdfBytes(), 'escaneo')
    const response = await t.download(path(`/proxies/${created.body.id}/document`), ph.staff)
    expect(response.headers.get('content-type')).toBe('application/pdf')
  })

  it('answers 415 for a document of another type', async () => {
    const { upload } = await newAssembly()
    const res = await upload(new Uint8Array(new TextEncoder().encode('no soy un PDF')), 'poder.txt')
    expect(res.status).toBe(415)
    expect(res.body.error.code).toBe('unsupported_media_type')
  })

  it('answers 415 for a document whose content is not of its declared type', async () => {
    const { upload } = await newAssembly()
    const res = await upload(PNG, 'poder.pdf')
    expect(res.status).toBe(415)
  })

  it('answers 413 for a document over 5 MiB, registering nothing', async () => {
    const { path, upload } = await newAssembly()
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1)
    big.set(pdfBytes())
    const res = await upload(big, 'poder.pdf')
    expect(res.status).toBe(413)
    expect((await t.send('GET', path('/proxies'), undefined, ph.staff)).body.proxies).toEqual([])
  })

  it('answers 404 for a proxy registered without a document', async () => {
    const { path, register } = await newAssembly()
    const created = await register('102', '103')
    const res = await t.send('GET', path(`/proxies/${created.body.id}/document`), undefined, ph.staff)
    expect(res.status).toBe(404)
  })

  it('answers 404 for a proxy of another assembly of the PH', async () => {
    const first = await newAssembly()
    const second = await newAssembly()
    const created = await first.upload(pdfBytes(), 'poder.pdf')
    const res = await t.send('GET', second.path(`/proxies/${created.body.id}/document`), undefined, ph.staff)
    expect(res.status).toBe(404)
  })
})

describe('listing and revoking proxies', () => {
  it('lists only the active proxies when asked', async () => {
    const { path, register } = await newAssembly()
    const kept = await register('101', '102')
    const dropped = await register('103', '102')
    await t.send(
      'POST',
      path(`/proxies/${dropped.body.id}/revoke`),
      { reason: 'El propietario lo retiró' },
      ph.staff,
    )
    const res = await t.send('GET', path('/proxies?status=active'), undefined, ph.staff)
    expect(res.body.proxies.map((proxy: { id: string }) => proxy.id)).toEqual([kept.body.id])
  })

  it('revokes a proxy with its reason and announces it', async () => {
    const { assemblyId, path, register } = await newAssembly()
    const created = await register('104', '102')
    const watch = await t.watchChanges(ph.organizationId, assemblyId)
    const res = await t.send(
      'POST',
      path(`/proxies/${created.body.id}/revoke`),
      { reason: 'Poder vencido' },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body.proxy).toMatchObject({ status: 'revoked', revokedReason: 'Poder vencido' })
    expect(await watch.seen()).toEqual({
      kinds: ['proxy', 'attendance'],
      factsChanged: true,
      membershipChanged: true,
      topicWoken: true,
    })
  })

  it('ends the attendance the holder took through the revoked proxy', async () => {
    const { path, register } = await newAssembly()
    const created = await register('104', '102')
    const checkIn = { personId: ph.owners['102'], unitIds: [ph.unitIds['104']], mode: 'in_person' }
    await t.send('POST', path('/attendance/check-in'), checkIn, ph.staff)
    const res = await t.send('POST', path(`/proxies/${created.body.id}/revoke`), undefined, ph.staff)
    expect(res.body.quorum.byUnits.present).toBe(0)
  })

  it('answers 409 when revoking a proxy twice', async () => {
    const { path, register } = await newAssembly()
    const created = await register('104', '102')
    await t.send('POST', path(`/proxies/${created.body.id}/revoke`), {}, ph.staff)
    const res = await t.send('POST', path(`/proxies/${created.body.id}/revoke`), {}, ph.staff)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('proxy_not_active')
  })

  it('does not show the proxies to an owner', async () => {
    const { path } = await newAssembly()
    const owner = await t.signInAs(ph.owners['105']!)
    const res = await t.send('GET', path('/proxies'), undefined, owner)
    expect(res.status).toBe(403)
  })
})
