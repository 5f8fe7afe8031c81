import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { agendaItems, assemblies, auditLog, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { checkIn } from '../assemblies/attendance.ts'
import { closeAssembly } from '../assemblies/lifecycle.ts'
import { createAppTestDatabase, createAssemblyFixture, systemActor } from '../assemblies/testing.ts'
import { appErrorOf } from '../motions/testing.ts'
import { renderActaHtml } from './html.ts'
import { getActaState, reviewActa, signOffActa, updateDiscussionSummary } from './lifecycle.ts'
import { buildActa } from './model.ts'
import { verifyActaChain } from './seal-chain.ts'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createAppTestDatabase()
})
afterAll(() => handle.close())

const actor = systemActor

/** A closed assembly of its own PH (two units, both present), with two agenda items. */
async function closedAssembly() {
  const fixture = await createAssemblyFixture(handle.db, {
    units: [
      ['101', '60', 'Ana Dueña'],
      ['102', '40', 'Beto Dueño'],
    ],
    agenda: ['Informe de la junta', 'Presupuesto'],
    status: 'in_progress',
  })
  const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
  await checkIn(handle.db, {
    ...ids,
    unitIds: [fixture.unitIds['101']!],
    personId: fixture.personIds['Ana Dueña']!,
    mode: 'in_person',
    actor,
  })
  await closeAssembly(handle.db, { ...ids, actor })
  const items = await withTenant(handle.db, ids.organizationId, (tx) =>
    tx
      .select({ id: agendaItems.id })
      .from(agendaItems)
      .where(eq(agendaItems.assemblyId, ids.assemblyId))
      .orderBy(asc(agendaItems.position)),
  )
  expect(items).toHaveLength(2)
  return { ...ids, fixture, itemIds: items.map((item) => item.id) }
}

const html = async (ids: { organizationId: string; assemblyId: string }) =>
  renderActaHtml(await buildActa(handle.db, ids), { seal: await getActaState(handle.db, ids) })

async function signBoth(ids: { organizationId: string; assemblyId: string }) {
  const { hash } = (await getActaState(handle.db, ids))!
  await signOffActa(handle.db, { ...ids, role: 'president', signerName: 'Ana Dueña', hash, actor })
  return signOffActa(handle.db, { ...ids, role: 'secretary', signerName: 'Beto Dueño', hash, actor })
}

describe('the acta from draft to final', () => {
  it('is a draft at the close, has no state before it, and is final after review and both sign-offs', async () => {
    const ids = await closedAssembly()
    const draft = (await getActaState(handle.db, ids))!
    expect(draft.status).toBe('draft')
    expect(draft.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await html(ids)).toContain('<p class="status">BORRADOR</p>')
    const early = await appErrorOf(() =>
      signOffActa(handle.db, { ...ids, role: 'president', signerName: 'Ana', hash: draft.hash, actor }),
    )
    expect([early.status, early.code]).toEqual([409, 'acta_not_reviewed'])

    expect((await reviewActa(handle.db, { ...ids, actor })).status).toBe('reviewed')
    const stale = await appErrorOf(() =>
      signOffActa(handle.db, { ...ids, role: 'president', signerName: 'Ana', hash: 'f'.repeat(64), actor }),
    )
    expect([stale.status, stale.code, stale.details]).toEqual([409, 'acta_changed', { hash: draft.hash }])
    const half = await signOffActa(handle.db, {
      ...ids,
      role: 'president',
      signerName: 'Ana Dueña',
      hash: draft.hash,
      actor,
    })
    expect(half.status).toBe('reviewed')
    const twice = await appErrorOf(() =>
      signOffActa(handle.db, { ...ids, role: 'president', signerName: 'Otra', hash: draft.hash, actor }),
    )
    expect(twice.code).toBe('acta_already_signed')

    const final = await signOffActa(handle.db, {
      ...ids,
      role: 'secretary',
      signerName: 'Beto Dueño',
      hash: draft.hash,
      actor,
    })
    expect(final.status).toBe('final')
    expect(final.signOffs.map((s) => [s.role, s.signerName, s.hash])).toEqual([
      ['president', 'Ana Dueña', draft.hash],
      ['secretary', 'Beto Dueño', draft.hash],
    ])
    expect(final.chain).toMatchObject({ sequence: 1, previousHash: null })
    const page = await html(ids)
    expect(page).toContain('<p class="status">ACTA FINAL</p>')
    expect(page).toContain('Firmada electrónicamente por Ana Dueña')
    expect(page).toContain(draft.hash)
  })

  it('refuses every change once final, with acta_final, and the database refuses a rewrite too', async () => {
    const ids = await closedAssembly()
    await reviewActa(handle.db, { ...ids, actor })
    await signBoth(ids)
    for (const attempt of [
      () => reviewActa(handle.db, { ...ids, actor }),
      () => updateDiscussionSummary(handle.db, { ...ids, itemId: ids.itemIds[0]!, notes: 'Cambio', actor }),
      () =>
        signOffActa(handle.db, { ...ids, role: 'president', signerName: 'X', hash: 'a'.repeat(64), actor }),
    ]) {
      const error = await appErrorOf(attempt)
      expect([error.status, error.code]).toEqual([409, 'acta_final'])
    }
    const rewrite = withTenant(handle.db, ids.organizationId, (tx) =>
      tx
        .update(assemblies)
        .set({ record: { version: 1 } })
        .where(eq(assemblies.id, ids.assemblyId))
        .returning({ id: assemblies.id }),
    )
    await expect(rewrite).rejects.toThrow()
    expect((await getActaState(handle.db, ids))!.status).toBe('final')
  })

  it('lets the summaries change before it is final, and only them: back to draft, sign-offs dropped', async () => {
    const ids = await closedAssembly()
    await reviewActa(handle.db, { ...ids, actor })
    const { hash } = (await getActaState(handle.db, ids))!
    await signOffActa(handle.db, { ...ids, role: 'president', signerName: 'Ana Dueña', hash, actor })
    // After the meeting the roster changes: the acta must not pick it up when a summary is written.
    await withTenant(handle.db, ids.organizationId, (tx) =>
      tx.update(units).set({ number: '101-B' }).where(eq(units.id, ids.fixture.unitIds['101']!)),
    )
    const edited = await updateDiscussionSummary(handle.db, {
      ...ids,
      itemId: ids.itemIds[1]!,
      notes: 'Se discutió el alza de la cuota.',
      actor,
    })
    expect(edited.status).toBe('draft')
    expect(edited.signOffs).toEqual([])
    expect(edited.hash).not.toBe(hash)
    const model = await buildActa(handle.db, ids)
    expect(model.agenda.map((item) => item.notes)).toEqual([null, 'Se discutió el alza de la cuota.'])
    expect(model.attendees.map((a) => a.unitNumber)).toEqual(['101'])
    const missing = await appErrorOf(() =>
      updateDiscussionSummary(handle.db, { ...ids, itemId: crypto.randomUUID(), notes: 'x', actor }),
    )
    expect(missing.status).toBe(404)
  })

  it('answers acta_not_frozen before the close', async () => {
    const fixture = await createAssemblyFixture(handle.db, {
      units: [['101', '100', 'Ana Dueña']],
      status: 'in_progress',
    })
    const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
    expect(await getActaState(handle.db, ids)).toBeNull()
    const error = await appErrorOf(() => reviewActa(handle.db, { ...ids, actor }))
    expect([error.status, error.code]).toEqual([409, 'acta_not_frozen'])
  })

  it('writes an audit entry for each step', async () => {
    const ids = await closedAssembly()
    await updateDiscussionSummary(handle.db, { ...ids, itemId: ids.itemIds[0]!, notes: 'Resumen', actor })
    await reviewActa(handle.db, { ...ids, actor })
    await signBoth(ids)
    const actions = await handle.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subject, ids.assemblyId), sql`${auditLog.action} like 'acta.%'`))
      .orderBy(asc(auditLog.id))
    expect(actions.map((row) => row.action)).toEqual([
      'acta.summary_edited',
      'acta.reviewed',
      'acta.signed',
      'acta.signed',
      'acta.final',
    ])
  })
})

describe('the chain of final actas', () => {
  it('verifies a final acta against its seal and notices a record edited in the database', async () => {
    const first = await closedAssembly()
    await reviewActa(handle.db, { ...first, actor })
    await signBoth(first)
    const report = await verifyActaChain(handle.db, first.organizationId)
    expect(report).toEqual({ ok: true, checked: 1, brokenAt: null })

    // An attacker with database access (bypassing the trigger) rewrites an attendee in the final record.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local role postgres`)
      await tx.execute(sql`set local session_replication_role = replica`)
      await tx.execute(
        sql`update assemblies set record = jsonb_set(record, '{model,attendees,0,unitNumber}', '"999"') where id = ${first.assemblyId}`,
      )
    })
    const broken = await verifyActaChain(handle.db, first.organizationId)
    expect(broken).toEqual({
      ok: false,
      checked: 0,
      brokenAt: { assemblyId: first.assemblyId, sequence: 1, reason: 'record_changed' },
    })
  })
})
