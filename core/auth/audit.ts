import { asc, desc, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { auditLog } from '../../db/schema/index.ts'
import { canonicalJson } from '../canonical-json.ts'
import { sha256Hex } from './crypto.ts'

export interface AuditEntry {
  action: string
  organizationId?: string | null
  actorUserId?: string | null
  subject?: string | null
  ip?: string | null
  data?: Record<string, unknown> | null
}

/** PostgreSQL text and jsonb refuse U+0000; audited text often comes from attackers. */
function withoutNul(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\u0000', '\uFFFD').replaceAll('\\u0000', '\\uFFFD')
}

/** SHA-256 (hex) of the previous row's hash, a newline, and the canonical JSON of the entry. */
export function hashAuditEntry(
  previousHash: string | null,
  entry: Required<AuditEntry> & { at: Date },
): string {
  return sha256Hex(`${previousHash ?? ''}\n${canonicalJson(entry)}`)
}

/**
 * Appends to the audit log. Each row's hash covers its content and the previous row's hash, so
 * editing or deleting a row breaks the chain (see verifyAuditChain). An advisory lock serializes
 * writers so the chain never forks.
 */
export async function appendAudit(db: Database, input: AuditEntry): Promise<void> {
  const entry = {
    action: input.action,
    organizationId: input.organizationId ?? null,
    actorUserId: input.actorUserId ?? null,
    subject: withoutNul(input.subject ?? null),
    ip: withoutNul(input.ip ?? null),
    data: input.data
      ? (JSON.parse(withoutNul(JSON.stringify(input.data))!) as Record<string, unknown>)
      : null,
    at: new Date(),
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('audit_log'))`)
    const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1)
    const previousHash = last?.hash ?? null
    await tx.insert(auditLog).values({ ...entry, previousHash, hash: hashAuditEntry(previousHash, entry) })
  })
}

export type AuditChainReport =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtId: number }

/** Recomputes every hash in order; reports the first row that does not match. */
export async function verifyAuditChain(db: Database): Promise<AuditChainReport> {
  const rows = await db.select().from(auditLog).orderBy(asc(auditLog.id))
  let previousHash: string | null = null
  for (const [index, row] of rows.entries()) {
    const entry = {
      action: row.action,
      organizationId: row.organizationId,
      actorUserId: row.actorUserId,
      subject: row.subject,
      ip: row.ip,
      data: (row.data as Record<string, unknown> | null) ?? null,
      at: row.at,
    }
    if (row.previousHash !== previousHash || row.hash !== hashAuditEntry(previousHash, entry)) {
      return { ok: false, checked: index, brokenAtId: row.id }
    }
    previousHash = row.hash
  }
  return { ok: true, checked: rows.length }
}
