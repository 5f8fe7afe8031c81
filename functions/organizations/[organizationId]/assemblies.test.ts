import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { assemblyBody, createPhTestApp, ROSTER_CSV, type TestPh } from './_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: TestPh

beforeAll(async () => {
  t = await createPhTestApp()
  ph = await t.createPh(ROSTER_CSV)
})
afterAll(() => t.services.close())

const HOUR = 3_600_000
const at = (offset: number) => new Date(Date.now() + offset).toISOString()
const create = (changes: Record<string, unknown> = {}, as = ph.admin) =>
  t.send('POST', ph.path('/assemblies'), assemblyBody(changes), as)
const move = (assemblyId: string, to: string, note?: string) =>
  t.send('POST', ph.path(`/assemblies/${assemblyId}/transition`), note ? { to, note } : { to }, ph.admin)

describe('POST /api/organizations/:organizationId/assemblies', () => {
  it('creates a draft with the rule of the preset and the next acta number', async () => {
    const first = await create()
    const second = await create({ kind: 'extraordinary', title: 'Asamblea Extraordinaria' })
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({
      number: first.body.number + 1,
      status: 'draft',
      currentCall: 'first',
      kind: 'extraordinary',
      quorumRule: {
        preset: 'bylaws-coefficient-any-present',
        base: 'coefficient',
        firstCall: { numerator: 1, denominator: 2, strict: true },
      },
    })
  })

  it('takes a custom quorum rule', async () => {
    const quorumRule = {
      base: 'units',
      eligibleOnly: true,
      firstCall: { numerator: 2, denominator: 3, strict: false },
      secondCall: null,
    }
    const res = await create({ quorumRule })
    expect(res.status).toBe(200)
    expect(res.body.quorumRule).toEqual(quorumRule)
  })

  it('does not let check-in staff create assemblies', async () => {
    const res = await create({}, ph.staff)
    expect(res.status).toBe(403)
  })

  it.each([
    ['an unknown preset', { quorumRule: 'la-que-sea' }, 'quorumRule'],
    ['a second call before the first', { firstCallAt: at(2 * HOUR), secondCallAt: at(HOUR) }, 'secondCallAt'],
    ['a call time that is not one', { firstCallAt: 'mañana' }, 'body.firstCallAt'],
    ['an unknown modality', { modality: 'hybrid' }, 'body.modality'],
    ['a proxy cap of zero', { maxProxiesPerHolder: 0 }, 'body.maxProxiesPerHolder'],
  ])('answers 422 naming the field for %s', async (_name, changes, field) => {
    const res = await create(changes)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })
})

describe('reading assemblies', () => {
  it('lists the assemblies of one status, newest first', async () => {
    const older = await create()
    const newer = await t.createAssembly(ph)
    await move(older.body.id, 'cancelled')
    const res = await t.send('GET', ph.path('/assemblies?status=convened'), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body.assemblies.map((assembly: { id: string }) => assembly.id)).toContain(newer)
    expect(res.body.assemblies.every((assembly: { status: string }) => assembly.status === 'convened')).toBe(
      true,
    )
  })

  it('shows one assembly to an owner', async () => {
    const created = await create()
    const owner = await t.signInAs((await t.ownersByUnit(ph))['101']!)
    const res = await t.send('GET', ph.path(`/assemblies/${created.body.id}`), undefined, owner)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: created.body.id, title: 'Asamblea Ordinaria 2026' })
  })

  it('answers 404 for an assembly of no PH', async () => {
    const res = await t.send('GET', ph.path(`/assemblies/${crypto.randomUUID()}`), undefined, ph.admin)
    expect(res.status).toBe(404)
  })
})

describe('PATCH /api/organizations/:organizationId/assemblies/:assemblyId', () => {
  it('changes the given fields', async () => {
    const created = await create()
    const res = await t.send(
      'PATCH',
      ph.path(`/assemblies/${created.body.id}`),
      {
        presidentName: 'Ana Pérez',
        secondCallAt: null,
      },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      presidentName: 'Ana Pérez',
      secondCallAt: null,
      title: 'Asamblea Ordinaria 2026',
    })
  })

  it('names the quorum rule with its source and applies the arrears setting', async () => {
    const res = await t.send(
      'POST',
      ph.path('/assemblies'),
      assemblyBody({ quorumRule: 'ley284-owners-new-call' }),
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body.quorumRule).toMatchObject({ base: 'owners', eligibleOnly: true, secondCall: null })
    expect(res.body.quorumRuleInfo).toMatchObject({
      code: 'ley284-owners-new-call',
      source: { kind: 'secondary', article: 'Ley 284' },
      label: {
        es: 'Ley 284 (lectura de fuente secundaria): más de la mitad de los propietarios; 2.ª convocatoria: nueva convocatoria',
      },
      note: { es: 'Confirme esta cifra con su reglamento de copropiedad.' },
    })
  })

  it('answers 409 for the quorum rule once the meeting has started', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
    const res = await t.send(
      'PATCH',
      ph.path(`/assemblies/${assemblyId}`),
      { quorumRule: 'bylaws-units-new-call' },
      ph.admin,
    )
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'assembly_started', details: { fields: ['quorumRule'] } })
  })

  it('answers 409 for a closed assembly', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
    await move(assemblyId, 'closed')
    const res = await t.send(
      'PATCH',
      ph.path(`/assemblies/${assemblyId}`),
      { secretaryName: 'Tarde' },
      ph.admin,
    )
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('assembly_closed')
  })
})

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/transition', () => {
  it('refuses to convene without who convenes, their position or an agenda, naming each', async () => {
    const created = await create({ convenedBy: null, convenerPosition: null })
    const res = await move(created.body.id, 'convened')
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({
      code: 'incomplete_call',
      details: { missing: ['convenedBy', 'convenerPosition', 'agenda'] },
    })
    const unchanged = await t.send('GET', ph.path(`/assemblies/${created.body.id}`), undefined, ph.admin)
    expect([unchanged.body.status, unchanged.body.noticedAt]).toEqual(['draft', null])
  })

  it('warns of a date outside the notice window and convenes with a recorded reason', async () => {
    const created = await create()
    await t.send('POST', ph.path(`/assemblies/${created.body.id}/agenda`), { title: 'Presupuesto' }, ph.admin)
    const warned = await move(created.body.id, 'convened')
    expect(warned.status).toBe(422)
    expect(warned.body.error).toMatchObject({ code: 'notice_window', details: { min: 10, max: 20 } })
    const reason = 'Asamblea reprogramada; el reglamento lo permite'
    const res = await t.send(
      'POST',
      ph.path(`/assemblies/${created.body.id}/transition`),
      { to: 'convened', windowOverrideReason: reason },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body.assembly).toMatchObject({ status: 'convened', noticeWindowOverride: reason })
  })

  it('refuses a move the state machine does not allow', async () => {
    const created = await create()
    const res = await move(created.body.id, 'closed')
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({
      code: 'invalid_transition',
      details: { from: 'draft', to: 'closed' },
    })
  })

  it('starts a convened meeting and resumes a suspended one with the same target', async () => {
    const assemblyId = await t.createAssembly(ph)
    const started = await move(assemblyId, 'in_progress')
    await move(assemblyId, 'suspended', 'Falla eléctrica')
    const resumed = await move(assemblyId, 'in_progress')
    expect([started.body.event.kind, resumed.body.event.kind]).toEqual(['started', 'resumed'])
    expect(resumed.body.assembly.status).toBe('in_progress')
  })

  it('announces every transition on the assembly', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'draft' })
    const watch = await t.watchChanges(ph.organizationId, assemblyId)
    await move(assemblyId, 'cancelled')
    expect(await watch.seen()).toEqual({
      kinds: ['assembly'],
      factsChanged: true,
      membershipChanged: false,
      topicWoken: true,
    })
  })

  it('lists the events for the acta in time order, with their notes', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
    await move(assemblyId, 'suspended', 'Receso de 15 minutos')
    await move(assemblyId, 'in_progress')
    await move(assemblyId, 'closed')
    const res = await t.send('GET', ph.path(`/assemblies/${assemblyId}/events`), undefined, ph.staff)
    expect(res.status).toBe(200)
    expect(
      res.body.events.map((event: { kind: string; note: string | null }) => [event.kind, event.note]),
    ).toEqual([
      ['convened', null],
      ['started', null],
      ['suspended', 'Receso de 15 minutos'],
      ['resumed', null],
      ['closed', null],
    ])
  })
})

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/second-call', () => {
  it('runs the meeting at its second call, with the quorum under the new call', async () => {
    const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
    const res = await t.send('POST', ph.path(`/assemblies/${assemblyId}/second-call`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      assembly: { currentCall: 'second' },
      event: { kind: 'second_call' },
      quorum: { call: 'second', threshold: { numerator: 0, denominator: 1, strict: true } },
    })
  })

  it('answers 409 before the time of the second call', async () => {
    const assemblyId = await t.createAssembly(ph, { changes: { secondCallAt: at(HOUR) } })
    const res = await t.send('POST', ph.path(`/assemblies/${assemblyId}/second-call`), {}, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('second_call_too_early')
  })
})

describe('the agenda', () => {
  let assemblyId: string
  const agenda = (rest = '') => ph.path(`/assemblies/${assemblyId}/agenda${rest}`)
  const titles = (body: { items: { title: string }[] }) => body.items.map((item) => item.title)

  beforeAll(async () => {
    assemblyId = await t.createAssembly(ph, { status: 'draft' })
    for (const title of ['Apertura', 'Presupuesto', 'Varios']) {
      await t.send('POST', agenda(), { title }, ph.admin)
    }
  })

  it('shows the items in order to an owner', async () => {
    const owner = await t.signInAs((await t.ownersByUnit(ph))['102']!)
    const res = await t.send('GET', agenda(), undefined, owner)
    expect(res.status).toBe(200)
    expect(res.body.items.map((item: { position: number }) => item.position)).toEqual([1, 2, 3])
  })

  it('reorders the items', async () => {
    const current = (await t.send('GET', agenda(), undefined, ph.admin)).body.items.map(
      (item: { id: string }) => item.id,
    )
    const res = await t.send(
      'PUT',
      agenda('/order'),
      { itemIds: [current[2], current[0], current[1]] },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(titles(res.body)).toEqual(['Varios', 'Apertura', 'Presupuesto'])
  })

  it('answers 422 for an order that leaves an item out', async () => {
    const current = (await t.send('GET', agenda(), undefined, ph.admin)).body.items.map(
      (item: { id: string }) => item.id,
    )
    const res = await t.send('PUT', agenda('/order'), { itemIds: current.slice(1) }, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('itemIds')
  })

  it('edits the minutes of an item', async () => {
    const [item] = (await t.send('GET', agenda(), undefined, ph.admin)).body.items
    const res = await t.send(
      'PATCH',
      agenda(`/${item.id}`),
      { notes: 'Se discutió el presupuesto.' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: item.id, notes: 'Se discutió el presupuesto.', title: item.title })
  })

  it('deletes an item and closes the gap', async () => {
    const extra = await t.send('POST', agenda(), { title: 'Punto sobrante', position: 1 }, ph.admin)
    const res = await t.send('DELETE', agenda(`/${extra.body.items[0].id}`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body.items.map((item: { position: number }) => item.position)).toEqual([1, 2, 3])
    expect(titles(res.body)).not.toContain('Punto sobrante')
  })

  it('answers 404 for an item of another assembly', async () => {
    const otherId = await t.createAssembly(ph, { status: 'draft' })
    const other = await t.send('POST', ph.path(`/assemblies/${otherId}/agenda`), { title: 'Ajeno' }, ph.admin)
    const res = await t.send('PATCH', agenda(`/${other.body.items[0].id}`), { title: 'Mío' }, ph.admin)
    expect(res.status).toBe(404)
  })

  it('does not let check-in staff add items', async () => {
    const res = await t.send('POST', agenda(), { title: 'Colado' }, ph.staff)
    expect(res.status).toBe(403)
  })
})
