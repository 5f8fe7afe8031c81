import { and, count, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, assemblies, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import {
  type CallField,
  missingCallFields,
  type NoticeWindow,
  noticeWindowOf,
} from '../assemblies/convocatoria.ts'
import { notFound } from '../ph/errors.ts'
import { listNotices, noticeContent, noticeHtml } from './notice.ts'
import { renderNoticePdf } from './notice-pdf.ts'

export interface NoticeStatus {
  /** Required content still missing (convening is refused until it is empty). */
  missing: CallField[]
  /** The PH's window against today (or against the notice date once convened). */
  window: NoticeWindow
  /** Every notice sent, oldest first. */
  notices: Awaited<ReturnType<typeof listNotices>>
}

async function load(db: Database, input: { organizationId: string; assemblyId: string }) {
  return withTenant(db, input.organizationId, async (tx) => {
    const [organization] = await tx
      .select()
      .from(organizations)
      .where(eq(organizations.id, input.organizationId))
    const [assembly] = await tx
      .select()
      .from(assemblies)
      .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
    if (!organization || !assembly) throw notFound('Assembly')
    const [items] = await tx
      .select({ n: count() })
      .from(agendaItems)
      .where(
        and(eq(agendaItems.organizationId, input.organizationId), eq(agendaItems.assemblyId, assembly.id)),
      )
    return { organization, assembly, agendaCount: items?.n ?? 0 }
  })
}

/** What blocks or warns before convening, and the notices already sent. Throws 404. */
export async function noticeStatus(
  db: Database,
  input: { organizationId: string; assemblyId: string; now?: Date },
): Promise<NoticeStatus> {
  const { organization, assembly, agendaCount } = await load(db, input)
  return {
    missing: missingCallFields(assembly, agendaCount),
    window: noticeWindowOf(assembly, organization, assembly.noticedAt ?? input.now ?? new Date()),
    notices: await listNotices(db, input),
  }
}

/**
 * The notice as a document: the last one sent, exactly as stored, or (before convening) a preview
 * of what would be sent now. HTML is a whole page; PDF is A4.
 */
export async function renderNotice(
  db: Database,
  input: { organizationId: string; assemblyId: string; format: 'html' | 'pdf' },
): Promise<{ body: string | Uint8Array; number: number }> {
  const { organization, assembly } = await load(db, input)
  const sent = (await listNotices(db, input)).at(-1)
  const content = sent
    ? { subject: sent.subject, lines: sent.text.split('\n\n') }
    : noticeContent({
        organization,
        assembly,
        agenda: await listAgendaItems(db, input),
        corrected: false,
      })
  if (input.format === 'pdf') {
    const body = await renderNoticePdf({
      organizationName: organization.name,
      title: content.subject,
      lines: content.lines,
      language: organization.language,
      createdAt: sent?.sentAt ?? new Date(),
    })
    return { body, number: assembly.number }
  }
  const language = organization.language === 'en' ? 'en' : 'es'
  const escapeText = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  const body = `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(content.subject)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}h1{text-align:center;font-size:1.5rem}@media print{body{margin:0}}</style>
</head><body>
${sent ? sent.html : noticeHtml(organization.name, content.lines)}
</body></html>`
  return { body, number: assembly.number }
}
