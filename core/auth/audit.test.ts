import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { asc, eq, gt } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { auditLog } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { appendAudit, verifyAuditChain } from './audit.ts'

let handle: DatabaseHandle

// The first PGlite start in a process can take well over the default 5 s under load.
beforeAll(async () => {
  handle = await createTestDatabase()
}, 60_000)
afterAll(() => handle.close())

type AuditRow = typeof auditLog.$inferSelect

const allRows = () => handle.db.select().from(auditLog).orderBy(asc(auditLog.id))

let appended = 0
/** Appends `n` entries and returns their rows, oldest first. */
async function appendSome(n: number): Promise<AuditRow[]> {
  const before = (await allRows()).at(-1)?.id ?? 0
  for (let i = 0; i < n; i++) {
    appended += 1
    await appendAudit(handle.db, {
      action: 'auth.sign_in',
      actorUserId: crypto.randomUUID(),
      subject: `session-${appended}`,
      ip: '198.51.100.7',
      data: { method: 'otp', attempt: appended },
    })
  }
  return handle.db.select().from(auditLog).where(gt(auditLog.id, before)).orderBy(asc(auditLog.id))
}

/** Runs `fn` against a tampered log, then restores it and checks the chain is whole again. */
async function whileTampered(
  tamper: () => Promise<void>,
  restore: () => Promise<void>,
  check: () => Promise<void>,
) {
  await tamper()
  try {
    await check()
  } finally {
    await restore()
  }
  expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true })
}

describe('appendAudit', () => {
  it('starts the chain with no previous hash', async () => {
    await appendSome(1)
    const [first] = await allRows()
    expect(first?.previousHash).toBeNull()
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('chains each row to the hash of the row before it', async () => {
    await appendSome(4)
    const rows = await allRows()
    for (const [index, row] of rows.entries()) {
      if (index === 0) continue
      expect(row.previousHash).toBe(rows[index - 1]!.hash)
    }
  })

  it('stores what it was given', async () => {
    const entry = {
      action: 'role.granted',
      organizationId: crypto.randomUUID(),
      actorUserId: crypto.randomUUID(),
      subject: 'user:1',
      ip: '192.0.2.1',
      data: { role: 'ph_admin' },
    }
    await appendAudit(handle.db, entry)
    expect((await allRows()).at(-1)).toMatchObject(entry)
  })

  it('keeps one unbroken chain under 20 concurrent appends', async () => {
    const before = (await allRows()).length
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(handle.db, { action: 'auth.otp_failed', subject: `concurrent-${i}` }),
      ),
    )
    const rows = await allRows()
    expect(rows).toHaveLength(before + 20)
    expect(new Set(rows.map((row) => row.previousHash)).size).toBe(rows.length)
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, checked: rows.length })
  })
})

describe('verifyAuditChain', () => {
  it('accepts an untouched log and counts its entries', async () => {
    await appendSome(3)
    const total = (await allRows()).length
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, checked: total })
  })

  it('accepts data whose key order and nesting the database rewrites (jsonb)', async () => {
    await appendAudit(handle.db, {
      action: 'settings.changed',
      data: { zeta: 1, alpha: { b: [2, { y: true, x: null }], a: 'á' }, mid: 1.5, at: new Date(0) },
    })
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true })
  })

  // Each column of a middle row edited in place, as an operator with database access could.
  const edits: [string, (row: AuditRow) => Partial<AuditRow>][] = [
    ['data', (row) => ({ data: { ...(row.data as object), method: 'passkey' } })],
    ['action', () => ({ action: 'auth.sign_out' })],
    ['actor', () => ({ actorUserId: crypto.randomUUID() })],
    ['subject', (row) => ({ subject: `${row.subject}!` })],
    ['ip', () => ({ ip: '203.0.113.66' })],
    ['organization', () => ({ organizationId: crypto.randomUUID() })],
    ['time', (row) => ({ at: new Date(row.at.getTime() - 1000) })],
    ['hash', () => ({ hash: '0'.repeat(64) })],
    ['previous hash', () => ({ previousHash: '0'.repeat(64) })],
  ]
  it.each(edits)('reports the first broken id when a row’s %s is edited', async (_name, edit) => {
    const rows = await appendSome(3)
    const target = rows[1]!
    await whileTampered(
      () =>
        handle.db
          .update(auditLog)
          .set(edit(target))
          .where(eq(auditLog.id, target.id))
          .then(() => {}),
      () =>
        handle.db
          .update(auditLog)
          .set(target)
          .where(eq(auditLog.id, target.id))
          .then(() => {}),
      async () => {
        const report = await verifyAuditChain(handle.db)
        expect(report).toMatchObject({ ok: false, brokenAtId: target.id })
      },
    )
  })

  it('reports the row after a deleted middle row', async () => {
    const rows = await appendSome(3)
    const [, deleted, next] = rows
    const before = (await allRows()).filter((row) => row.id < deleted!.id).length
    await whileTampered(
      () =>
        handle.db
          .delete(auditLog)
          .where(eq(auditLog.id, deleted!.id))
          .then(() => {}),
      () =>
        handle.db
          .insert(auditLog)
          .values(deleted!)
          .then(() => {}),
      async () => {
        expect(await verifyAuditChain(handle.db)).toEqual({
          ok: false,
          checked: before,
          brokenAtId: next!.id,
        })
      },
    )
  })

  it('reports the first of several broken rows', async () => {
    const rows = await appendSome(4)
    const [, first, , second] = rows
    await whileTampered(
      async () => {
        for (const row of [second!, first!]) {
          await handle.db.update(auditLog).set({ subject: 'forged' }).where(eq(auditLog.id, row.id))
        }
      },
      async () => {
        for (const row of [first!, second!]) {
          await handle.db.update(auditLog).set(row).where(eq(auditLog.id, row.id))
        }
      },
      async () => {
        expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: false, brokenAtId: first!.id })
      },
    )
  })
})
