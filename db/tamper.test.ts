import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { asc, eq } from 'drizzle-orm'
import { appendAudit, hashAuditEntry } from '../core/auth/audit.ts'
import { sha256Hex } from '../core/auth/crypto.ts'
import { type HashedSnapshot, hashedFieldsOf, hashSnapshot } from '../core/motions/chain.ts'
import { createMotion, openMotion } from '../core/motions/motions.ts'
import { closeMotion } from '../core/motions/results.ts'
import { createScenario } from '../core/motions/testing.ts'
import type { DatabaseHandle } from './client.ts'
import { auditLog, resultSnapshots } from './schema/index.ts'
import { createTestDatabase } from './testing.ts'
import { runVerify } from './verify.ts'

/*
 * Tamper evidence as an attacker with write access would try it: not only editing one row (the
 * row's own hash gives that away), but rewriting a row, recomputing its hash and re-pointing the next
 * row at it. Only a hash that covers the previous row's hash catches that, and the fixed vectors
 * below pin down exactly what each hash covers.
 */

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await createTestDatabase()
}, 60_000)
afterAll(() => handle.close())

const ZERO_UUID = (n: number) => `00000000-0000-4000-8000-00000000000${n}`
const PREVIOUS = 'a'.repeat(64)

describe('result snapshot hash (fixed vector)', () => {
  const snapshot = {
    organizationId: ZERO_UUID(1),
    assemblyId: ZERO_UUID(2),
    motionId: ZERO_UUID(3),
    sequence: 2,
    previousHash: PREVIOUS,
    electorate: [
      {
        unitId: ZERO_UUID(4),
        number: '101',
        coefficient: '100.000000000',
        upToDate: true,
        attending: true,
        voted: true,
      },
    ],
    totals: { closedAt: '2026-03-01T18:00:00.000Z' } as unknown as HashedSnapshot['totals'],
    majorityRule: {
      base: 'coefficient',
      denominator: 'cast',
      threshold: null,
      abstentionsCount: false,
      eligibleOnly: false,
    },
    outcome: 'approved',
    explanation: 'Aprobada.',
  } satisfies HashedSnapshot

  // Written by hand: the keys sorted, nothing else. Expected hashes computed outside the product with
  // `printf '%s' '<this text>' | sha256sum`.
  const covered =
    '{"assemblyId":"00000000-0000-4000-8000-000000000002","electorate":[{"attending":true,' +
    '"coefficient":"100.000000000","number":"101","unitId":"00000000-0000-4000-8000-000000000004",' +
    '"upToDate":true,"voted":true}],"explanation":"Aprobada.","majorityRule":{"abstentionsCount":false,' +
    '"base":"coefficient","denominator":"cast","eligibleOnly":false,"threshold":null},' +
    '"motionId":"00000000-0000-4000-8000-000000000003","organizationId":"00000000-0000-4000-8000-000000000001",' +
    `"outcome":"approved","previousHash":"${PREVIOUS}","sequence":2,"totals":{"closedAt":"2026-03-01T18:00:00.000Z"}}`

  it('is the SHA-256 of the canonical JSON of every field, the previous hash included', () => {
    expect(sha256Hex(covered)).toBe('f7f61070598f9b9a7088f8c263d99574c409a86adc8d6eede7c4512b0463ebdb')
    expect(hashSnapshot(snapshot)).toBe('f7f61070598f9b9a7088f8c263d99574c409a86adc8d6eede7c4512b0463ebdb')
  })

  it('changes with the previous hash alone', () => {
    expect(hashSnapshot({ ...snapshot, previousHash: null })).toBe(
      'cc5b934c270b1249bab4823a7977427468ce36492fe7c6225c46ea15b1923bac',
    )
  })
})

describe('audit entry hash (fixed vector)', () => {
  const entry = {
    action: 'auth.sign_in',
    organizationId: null,
    actorUserId: ZERO_UUID(5),
    subject: 'ana@example.com',
    ip: '192.0.2.1',
    data: { method: 'passkey' },
    at: new Date('2026-03-01T18:00:00.000Z'),
  }

  it("is the SHA-256 of the previous hash, a newline and the entry's canonical JSON", () => {
    // printf '%s\n%s' "$(printf 'a%.0s' {1..64})" '<canonical JSON>' | sha256sum
    expect(hashAuditEntry(PREVIOUS, entry)).toBe(
      '42c2da538e22ce5f30a5fc67adc4c98be385235d4aa21708eecb1c1b757c4ecc',
    )
  })

  it('starts the chain from an empty previous hash', () => {
    expect(hashAuditEntry(null, entry)).toBe(
      '4b2fc63cf00245dbef17f834f2face5f02a71cfe2857568a1e6dd3953da86ae8',
    )
  })
})

/** A PH with `count` closed motions: its chain of snapshots, oldest first. */
async function chainOf(count: number) {
  const { db } = handle
  const scenario = await createScenario(db, {
    units: [
      { number: 'A', coefficient: '60', present: 'in_person' },
      { number: 'B', coefficient: '40', present: 'in_person' },
    ],
  })
  const { organizationId } = scenario
  const actor = { userId: null }
  for (let i = 1; i <= count; i++) {
    const motion = await createMotion(db, {
      organizationId,
      assemblyId: scenario.assemblyId,
      actor,
      title: `Moción ${i}`,
      majorityRule: 'simple',
    })
    await openMotion(db, { organizationId, motionId: motion.id, actor })
    await closeMotion(db, { organizationId, motionId: motion.id, actor })
  }
  return db
    .select()
    .from(resultSnapshots)
    .where(eq(resultSnapshots.organizationId, organizationId))
    .orderBy(asc(resultSnapshots.sequence))
}

describe('result chain: rewrite and relink', () => {
  it('is caught at the row after the rewritten one', async () => {
    const [, second, third] = await chainOf(3)
    // Rewrite the middle snapshot, give it a hash that matches its new content, re-point the second.
    const forged = { ...hashedFieldsOf(second!), outcome: 'rejected' as const, explanation: 'Rechazada.' }
    const forgedHash = hashSnapshot(forged)
    await handle.db
      .update(resultSnapshots)
      .set({ outcome: forged.outcome, explanation: forged.explanation, hash: forgedHash })
      .where(eq(resultSnapshots.id, second!.id))
    await handle.db
      .update(resultSnapshots)
      .set({ previousHash: forgedHash })
      .where(eq(resultSnapshots.id, third!.id))
    const outcome = await runVerify(handle.db, 'results')
    expect(outcome.ok).toBe(false)
    // The rewritten row is self-consistent and the link to it is right: only the next row's own
    // hash, which covered the original previous hash, gives the forgery away.
    expect(outcome.message).toContain(
      `snapshot ${third!.id} (sequence 3, motion ${third!.motionId}): hash_mismatch`,
    )
  })
})

describe('audit chain: rewrite and relink', () => {
  it('is caught at the row after the rewritten one', async () => {
    const marker = crypto.randomUUID()
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      await appendAudit(handle.db, { action: 'auth.sign_in', subject: marker, ip })
    }
    const rows = await handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, marker))
      .orderBy(asc(auditLog.id))
    const [, middle, last] = rows
    expect(middle!.previousHash).toBe(rows[0]!.hash)
    expect(last!.previousHash).toBe(middle!.hash)
    const forged = {
      action: middle!.action,
      organizationId: middle!.organizationId,
      actorUserId: middle!.actorUserId,
      subject: middle!.subject,
      ip: '203.0.113.66',
      data: null,
      at: middle!.at,
    }
    const forgedHash = hashAuditEntry(middle!.previousHash, forged)
    await handle.db
      .update(auditLog)
      .set({ ip: forged.ip, hash: forgedHash })
      .where(eq(auditLog.id, middle!.id))
    await handle.db.update(auditLog).set({ previousHash: forgedHash }).where(eq(auditLog.id, last!.id))
    try {
      const outcome = await runVerify(handle.db, 'audit')
      expect(outcome.ok).toBe(false)
      expect(outcome.message).toContain(`broken at id ${last!.id}`)
    } finally {
      // Restore, so the audit chain of this database is whole for any test that runs after.
      await handle.db
        .update(auditLog)
        .set({ ip: middle!.ip, hash: middle!.hash })
        .where(eq(auditLog.id, middle!.id))
      await handle.db.update(auditLog).set({ previousHash: middle!.hash }).where(eq(auditLog.id, last!.id))
    }
    expect((await runVerify(handle.db, 'audit')).ok).toBe(true)
  })
})
