import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies } from '../../db/schema/index.ts'
import type { ActaModel } from './model.ts'

/*
 * The acta frozen at the close: everything it shows (roster, owners, representatives, up-to-date status,
 * coefficients, attendance, officers, the convocatoria's transcription, quorum, results) is stored in the
 * assembly's record in the same transaction that closes it, so selling a unit or paying arrears after the
 * meeting never changes what the acta says. The record keeps the coefficients of the attendees (art. 71.4
 * shows them only when the by-laws are amended; the renderer drops them otherwise).
 */

export interface FrozenActa {
  version: 1
  model: ActaModel
}

/** Stores the acta of an assembly that is being closed, inside the closing transaction. */
export async function freezeActa(
  tx: Database,
  input: { organizationId: string; assemblyId: string; closedAt: Date },
  assemble: (
    tx: Database,
    input: { organizationId: string; assemblyId: string; amendsBylaws: boolean; now?: Date },
  ) => Promise<ActaModel>,
): Promise<void> {
  const model = await assemble(tx, { ...input, amendsBylaws: true, now: input.closedAt })
  const record: FrozenActa = { version: 1, model }
  await tx
    .update(assemblies)
    .set({ record: JSON.parse(JSON.stringify(record)) as Record<string, unknown>, actaStatus: 'draft' })
    .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
}

/** The frozen acta of a closed assembly, or null before the close (or for an assembly closed earlier). */
export async function loadFrozenActa(
  tx: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<FrozenActa | null> {
  const [row] = await tx
    .select({ record: assemblies.record })
    .from(assemblies)
    .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
  const record = row?.record as Partial<FrozenActa> | null | undefined
  return record?.version === 1 && record.model ? (record as FrozenActa) : null
}

const date = (value: unknown): Date => new Date(value as string)
const maybeDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : date(value)

/** The stored JSON back as a model: dates revived where the model has dates, nothing else touched. */
export function thawActa(frozen: FrozenActa, amendsBylaws: boolean): ActaModel {
  const m = frozen.model
  const entry = <T extends { at: Date }>(e: T): T => ({ ...e, at: date(e.at) })
  return {
    ...m,
    generatedAt: date(m.generatedAt),
    amendsBylaws,
    meeting: {
      ...m.meeting,
      firstCallAt: date(m.meeting.firstCallAt),
      secondCallAt: maybeDate(m.meeting.secondCallAt),
      notice: m.meeting.notice ? { ...m.meeting.notice, sentAt: date(m.meeting.notice.sentAt) } : null,
      ...(m.meeting.notices
        ? { notices: m.meeting.notices.map((notice) => ({ ...notice, sentAt: date(notice.sentAt) })) }
        : {}),
    },
    attendees: m.attendees.map((a) => ({
      ...a,
      coefficient: amendsBylaws ? a.coefficient : null,
      checkedInAt: date(a.checkedInAt),
      checkedOutAt: maybeDate(a.checkedOutAt),
    })),
    quorum: {
      ...m.quorum,
      established: m.quorum.established ? entry(m.quorum.established) : null,
      log: m.quorum.log.map(entry),
    },
    proposals: m.proposals.map((p) => ({
      ...p,
      result: p.result ? { ...p.result, createdAt: date(p.result.createdAt) } : null,
      // Records frozen before the nominal list existed have none.
      nominal: p.nominal ?? null,
    })),
    times: {
      startedAt: maybeDate(m.times.startedAt),
      endedAt: maybeDate(m.times.endedAt),
      events: m.times.events.map(entry),
    },
  }
}
