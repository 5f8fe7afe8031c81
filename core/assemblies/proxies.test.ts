import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseHandle } from '../../db/client.ts'
import { createPerson } from '../ph/people.ts'
import { checkIn, listAttendance } from './attendance.ts'
import { closeAssembly } from './lifecycle.ts'
import { getProxyDocument, type HolderInput, listProxies, registerProxy, revokeProxy } from './proxies.ts'
import { quorumHistory } from './quorum.ts'
import { createLocalDocumentStorage } from './storage.ts'
import {
  type AssemblyFixture,
  appErrorOf,
  createAppTestDatabase,
  createAssemblyFixture,
  createRecorder,
  systemActor,
} from './testing.ts'

let handle: DatabaseHandle
const documentsDir = mkdtempSync(join(tmpdir(), 'proxies-'))
const storage = createLocalDocumentStorage(documentsDir)

beforeAll(async () => {
  handle = await createAppTestDatabase()
})
afterAll(async () => {
  await handle.close()
  rmSync(documentsDir, { recursive: true, force: true })
})

const actor = systemActor

function ph(status: 'convened' | 'in_progress' = 'convened') {
  return createAssemblyFixture(handle.db, {
    units: [
      ['A', '40', 'Ana'],
      ['B', '30', 'Beto'],
      ['C', '20', 'Carla'],
      ['D', '10', 'Dario'],
    ],
    assembly: { maxProxiesPerHolder: 2 },
    status,
  })
}

function give(
  fixture: AssemblyFixture,
  unit: string,
  holder: HolderInput,
  extra: Record<string, unknown> = {},
) {
  return registerProxy(
    handle.db,
    {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      grantorUnitId: fixture.unitIds[unit]!,
      holder,
      actor,
      ...extra,
    },
    { storage },
  )
}

async function stranger(fixture: AssemblyFixture, fullName = 'Licda. Arosemena') {
  return createPerson(handle.db, { organizationId: fixture.organizationId, person: { fullName }, actor })
}

describe('registerProxy', () => {
  it('creates a non-owner holder inline', async () => {
    const fixture = await ph()
    const proxy = await give(fixture, 'A', {
      person: { fullName: 'Licda. Arosemena', email: 'apoderada@example.com' },
    })
    expect([proxy.unitNumber, proxy.holderName, proxy.holderEmail, proxy.status]).toEqual([
      'A',
      'Licda. Arosemena',
      'apoderada@example.com',
      'active',
    ])
  })

  it('reuses the person of the PH with the inline holder’s email', async () => {
    const fixture = await ph()
    const first = await give(fixture, 'A', { person: { fullName: 'Apoderada', email: 'apo@example.com' } })
    const second = await give(fixture, 'B', {
      person: { fullName: 'Apoderada L.', email: 'APO@example.com' },
    })
    expect(second.holderPersonId).toBe(first.holderPersonId)
  })

  it('lets another owner hold the proxy', async () => {
    const fixture = await ph()
    const proxy = await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    expect(proxy.holderName).toBe('Beto')
  })

  it('answers 409 proxy_exists for a second active proxy of the unit', async () => {
    const fixture = await ph()
    await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    const error = await appErrorOf(() => give(fixture, 'A', { personId: fixture.personIds.Carla! }))
    expect([error.status, error.code]).toEqual([409, 'proxy_exists'])
  })

  it('allows a new proxy once the previous one is revoked', async () => {
    const fixture = await ph()
    const first = await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    await revokeProxy(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      proxyId: first.id,
      actor,
    })
    expect((await give(fixture, 'A', { personId: fixture.personIds.Carla! })).status).toBe('active')
  })

  it('answers 409 proxy_cap_reached beyond maxProxiesPerHolder', async () => {
    const fixture = await ph()
    const holder = await stranger(fixture)
    await give(fixture, 'A', { personId: holder.id })
    await give(fixture, 'B', { personId: holder.id })
    const error = await appErrorOf(() => give(fixture, 'C', { personId: holder.id }))
    expect([error.status, error.code, error.details]).toEqual([409, 'proxy_cap_reached', { cap: 2, held: 2 }])
  })

  it('does not count revoked proxies toward the cap', async () => {
    const fixture = await ph()
    const holder = await stranger(fixture)
    const first = await give(fixture, 'A', { personId: holder.id })
    await give(fixture, 'B', { personId: holder.id })
    await revokeProxy(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      proxyId: first.id,
      actor,
    })
    expect((await give(fixture, 'C', { personId: holder.id })).unitNumber).toBe('C')
  })

  it('answers 422 holder_owns_unit when an owner would hold a proxy for their own unit', async () => {
    const fixture = await ph()
    const error = await appErrorOf(() => give(fixture, 'A', { personId: fixture.personIds.Ana! }))
    expect([error.status, error.code]).toEqual([422, 'holder_owns_unit'])
  })

  it('answers 409 unit_present when the unit is already checked in', async () => {
    const fixture = await ph()
    await checkIn(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      personId: fixture.personIds.Ana!,
      mode: 'in_person',
      actor,
    })
    const error = await appErrorOf(() => give(fixture, 'A', { personId: fixture.personIds.Beto! }))
    expect([error.status, error.code]).toEqual([409, 'unit_present'])
  })

  it('answers 422 when the validity ends before it starts', async () => {
    const fixture = await ph()
    const error = await appErrorOf(() =>
      give(
        fixture,
        'A',
        { personId: fixture.personIds.Beto! },
        { validFrom: new Date('2026-02-02'), validUntil: new Date('2026-02-01') },
      ),
    )
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field: 'validUntil' })]])
  })

  it('answers 409 assembly_closed after the close', async () => {
    const fixture = await ph('in_progress')
    await closeAssembly(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      actor,
    })
    const error = await appErrorOf(() => give(fixture, 'A', { personId: fixture.personIds.Beto! }))
    expect([error.status, error.code]).toEqual([409, 'assembly_closed'])
  })

  it('answers 404 for a unit of another PH', async () => {
    const fixture = await ph()
    const other = await ph()
    const error = await appErrorOf(() =>
      registerProxy(
        handle.db,
        {
          organizationId: fixture.organizationId,
          assemblyId: fixture.assembly.id,
          grantorUnitId: other.unitIds.A!,
          holder: { personId: fixture.personIds.Beto! },
          actor,
        },
        { storage },
      ),
    )
    expect([error.status, error.details]).toEqual([404, { resource: 'Unit' }])
  })
})

describe('proxy documents', () => {
  it('stores the signed document under <org>/<uuid> and reads it back', async () => {
    const fixture = await ph()
    const bytes = new TextEncoder().encode('%PDF-1.7 poder')
    const proxy = await give(
      fixture,
      'A',
      { personId: fixture.personIds.Beto! },
      { document: { bytes, contentType: 'application/pdf' } },
    )
    const stored = await getProxyDocument(
      handle.db,
      { organizationId: fixture.organizationId, proxyId: proxy.id },
      { storage },
    )
    expect([
      proxy.documentPath?.startsWith(`${fixture.organizationId}/`),
      new TextDecoder().decode(stored!),
    ]).toEqual([true, '%PDF-1.7 poder'])
  })

  it('stores nothing when the proxy is refused', async () => {
    const fixture = await ph()
    const bytes = new Uint8Array([1, 2, 3])
    await appErrorOf(() => give(fixture, 'A', { personId: fixture.personIds.Ana! }, { document: { bytes } }))
    expect(readdirSync(documentsDir).includes(fixture.organizationId)).toBe(false)
  })
})

describe('revokeProxy', () => {
  it('marks the proxy revoked with the reason', async () => {
    const fixture = await ph()
    const proxy = await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
    const result = await revokeProxy(handle.db, { ...ids, proxyId: proxy.id, reason: 'Poder vencido', actor })
    expect([result.proxy.status, result.proxy.revokedReason, result.proxy.revokedAt !== null]).toEqual([
      'revoked',
      'Poder vencido',
      true,
    ])
  })

  it('answers 409 proxy_not_active the second time', async () => {
    const fixture = await ph()
    const proxy = await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    const input = {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      proxyId: proxy.id,
      actor,
    }
    await revokeProxy(handle.db, input)
    const error = await appErrorOf(() => revokeProxy(handle.db, input))
    expect([error.status, error.code]).toEqual([409, 'proxy_not_active'])
  })

  it('ends the holder’s attendance for the unit, logs the quorum and tells the holder', async () => {
    const fixture = await ph()
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
    const holder = await stranger(fixture)
    const proxy = await give(fixture, 'A', { personId: holder.id })
    await checkIn(handle.db, { ...ids, personId: holder.id, mode: 'in_person', actor })
    const logBefore = (await quorumHistory(handle.db, ids)).length
    const recorder = createRecorder()
    await revokeProxy(handle.db, { ...ids, proxyId: proxy.id, actor }, recorder.deps)
    expect([
      (await listAttendance(handle.db, { ...ids, openOnly: true })).length,
      (await quorumHistory(handle.db, ids)).length - logBefore,
      recorder.revoked.map((event) => [event.unitNumber, event.holder.fullName, event.reason]),
    ]).toEqual([0, 1, [['A', 'Licda. Arosemena', 'revoked']]])
  })
})

describe('listProxies', () => {
  it('lists by unit number and filters by status', async () => {
    const fixture = await ph()
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
    const b = await give(fixture, 'B', { personId: fixture.personIds.Ana! })
    await give(fixture, 'A', { personId: fixture.personIds.Beto! })
    await revokeProxy(handle.db, { ...ids, proxyId: b.id, actor })
    const all = await listProxies(handle.db, ids)
    const active = await listProxies(handle.db, { ...ids, status: 'active' })
    expect([all.map((p) => p.unitNumber), active.map((p) => p.unitNumber)]).toEqual([['A', 'B'], ['A']])
  })
})
