import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { appendAudit } from '../core/auth/audit.ts'
import { createMotion, openMotion } from '../core/motions/motions.ts'
import { closeMotion } from '../core/motions/results.ts'
import { createScenario } from '../core/motions/testing.ts'
import type { DatabaseHandle } from './client.ts'
import { auditLog, resultSnapshots } from './schema/index.ts'
import { createTestDatabase } from './testing.ts'
import { runVerify } from './verify.ts'

let handle: DatabaseHandle

// Every test counts what is in the database: each gets a database of its own, so order never matters.
const freshDatabase = () => {
  beforeEach(async () => {
    handle = await createTestDatabase()
  }, 60_000)
  afterEach(() => handle.close())
}

/** Three audit entries. */
async function threeEntries() {
  for (const action of ['auth.sign_in', 'auth.otp_failed', 'auth.sign_out']) {
    await appendAudit(handle.db, { action, ip: '192.0.2.1' })
  }
}

/** A PH with one closed motion, i.e. one result snapshot; returns the snapshot. */
async function closedMotion() {
  const { db } = handle
  const scenario = await createScenario(db, {
    units: [
      { number: 'A', coefficient: '60', present: 'in_person' },
      { number: 'B', coefficient: '40', present: 'in_person' },
    ],
  })
  const { organizationId } = scenario
  const actor = { userId: null }
  const motion = await createMotion(db, {
    organizationId,
    assemblyId: scenario.assemblyId,
    actor,
    title: 'Aprobar el presupuesto',
    majorityRule: 'simple',
  })
  await openMotion(db, { organizationId, motionId: motion.id, actor })
  await closeMotion(db, { organizationId, motionId: motion.id, actor })
  const [snapshot] = await db.select().from(resultSnapshots).where(eq(resultSnapshots.motionId, motion.id))
  return snapshot!
}

describe('runVerify audit', () => {
  freshDatabase()

  it('reports an empty log as intact', async () => {
    expect(await runVerify(handle.db, 'audit')).toEqual({ ok: true, message: 'audit chain ok (0 entries)' })
  })

  it('reports an untouched log as intact, with its number of entries', async () => {
    await threeEntries()
    expect(await runVerify(handle.db, 'audit')).toEqual({ ok: true, message: 'audit chain ok (3 entries)' })
  })

  it('reports an edited entry by id, and is intact again once it is restored', async () => {
    await threeEntries()
    const [, middle] = await handle.db.select().from(auditLog).orderBy(auditLog.id)
    await handle.db.update(auditLog).set({ ip: '203.0.113.1' }).where(eq(auditLog.id, middle!.id))
    const outcome = await runVerify(handle.db, 'audit')
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain(`broken at id ${middle!.id}`)
    await handle.db.update(auditLog).set({ ip: middle!.ip }).where(eq(auditLog.id, middle!.id))
    expect((await runVerify(handle.db, 'audit')).ok).toBe(true)
  })
})

describe('runVerify results', () => {
  freshDatabase()

  it('reports an installation without results as intact', async () => {
    expect(await runVerify(handle.db, 'results')).toEqual({
      ok: true,
      message: 'result chains ok (0 organizations, 0 snapshots)',
    })
  })

  it('reports the chains of every PH as intact, with how many snapshots it checked', async () => {
    await closedMotion()
    await closedMotion()
    expect(await runVerify(handle.db, 'results')).toEqual({
      ok: true,
      message: 'result chains ok (2 organizations, 2 snapshots)',
    })
  })

  it('names the PH and the snapshot whose content was edited', async () => {
    const snapshot = await closedMotion()
    await handle.db
      .update(resultSnapshots)
      .set({ outcome: snapshot.outcome === 'approved' ? 'rejected' : 'approved' })
      .where(eq(resultSnapshots.id, snapshot.id))
    const outcome = await runVerify(handle.db, 'results')
    expect(outcome.ok).toBe(false)
    expect(outcome.message.split('\n')).toHaveLength(1)
    expect(outcome.message).toContain(snapshot.organizationId)
    expect(outcome.message).toContain(`snapshot ${snapshot.id}`)
    expect(outcome.message).toContain('hash_mismatch')
  })
})

describe('bun db/verify.ts', () => {
  const run = async (...args: string[]) => {
    const child = Bun.spawn(['bun', join(import.meta.dir, 'verify.ts'), ...args], {
      // Never reached: a wrong command line is answered before any database is opened.
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    return { exitCode: await child.exited, stderr: await new Response(child.stderr).text() }
  }

  const usage: [string, string[]][] = [
    ['no target', []],
    ['an unknown target', ['votes']],
    ['an extra argument', ['audit', 'now']],
  ]
  it.each(usage)('prints the usage and exits 2 for %s', async (_name, args) => {
    const result = await run(...args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('Usage: bun db/verify.ts <audit|results>')
  })
})
