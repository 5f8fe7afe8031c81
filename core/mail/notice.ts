import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, assemblyNotices, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import type { MailMessage } from '../auth/mailer.ts'
import {
  type CommunicationContent,
  type CommunicationDeps,
  createCommunication,
  deliverCommunication,
} from '../communications/deliver.ts'
import { emailLayout, escapeHtml, linesHtml } from '../communications/email-html.ts'
import { notFound } from '../ph/errors.ts'
import type { Delivery } from './deliveries.ts'

type Assembly = typeof assemblies.$inferSelect

/** Ends the text with one period (Spanish times end in 'p. m.' already). */
const sentence = (text: string) => (text.endsWith('.') ? text : `${text}.`)

type NoticeOrganization = { name: string; language: string; timeZone: string; locale: string }

/**
 * The notice of meeting (convocatoria) in the PH's language and time zone: date of the notice, class of
 * meeting, date and time, place and/or video link, the second-call clause, agenda, the call text and
 * who convenes with their position. `corrected` marks a notice sent again after the date, place or
 * agenda changed. The same text is emailed (after a salutation) and stored for the acta.
 */
export function noticeContent(input: {
  organization: NoticeOrganization
  assembly: Assembly
  agenda: ReadonlyArray<{ title: string }>
  corrected: boolean
}): { subject: string; lines: string[] } {
  const { organization, assembly } = input
  const es = organization.language !== 'en'
  const format = (date: Date, timeStyle?: 'short') =>
    new Intl.DateTimeFormat(es ? 'es-PA' : 'en', {
      dateStyle: 'full',
      ...(timeStyle ? { timeStyle } : {}),
      timeZone: organization.timeZone,
    }).format(date)
  const when = (date: Date) => format(date, 'short')
  const kind = es
    ? assembly.kind === 'ordinary'
      ? 'Asamblea ordinaria'
      : 'Asamblea extraordinaria'
    : assembly.kind === 'ordinary'
      ? 'Ordinary assembly'
      : 'Extraordinary assembly'
  const lines: string[] = []
  if (input.corrected)
    lines.push(
      es
        ? 'AVISO CORREGIDO: reemplaza la convocatoria anterior.'
        : 'CORRECTED NOTICE: replaces the earlier notice.',
    )
  lines.push(
    `${es ? 'Fecha de la convocatoria' : 'Date of the notice'}: ${format(assembly.noticedAt ?? new Date())}`,
  )
  lines.push(
    es
      ? `${organization.name} convoca a ${kind.toLowerCase()}: ${assembly.title}.`
      : `${organization.name} convenes an ${kind.toLowerCase()}: ${assembly.title}.`,
  )
  lines.push(
    `${es ? 'Fecha y hora (primera convocatoria)' : 'Date and time (first call)'}: ${when(assembly.firstCallAt)}`,
  )
  if (assembly.location) lines.push(`${es ? 'Lugar' : 'Place'}: ${assembly.location}`)
  if (assembly.meetingUrl)
    lines.push(`${es ? 'Enlace de la reunión virtual' : 'Video meeting link'}: ${assembly.meetingUrl}`)
  if (assembly.secondCallAt)
    lines.push(
      es
        ? sentence(
            `De no haber quórum, la asamblea se celebrará en segunda convocatoria el ${when(assembly.secondCallAt)}`,
          )
        : sentence(
            `If there is no quorum, the assembly will be held at a second call on ${when(assembly.secondCallAt)}`,
          ),
    )
  lines.push(es ? 'Orden del día:' : 'Agenda:')
  for (const [index, item] of input.agenda.entries()) lines.push(`  ${index + 1}. ${item.title}`)
  if (assembly.callText) lines.push(assembly.callText)
  if (assembly.convenedBy)
    lines.push(
      `${es ? 'Convoca' : 'Convened by'}: ${assembly.convenedBy}${
        assembly.convenerPosition ? `, ${assembly.convenerPosition}` : ''
      }`,
    )
  const subject = `${input.corrected ? (es ? 'Aviso corregido — ' : 'Corrected notice — ') : ''}${
    es ? 'Convocatoria' : 'Notice of meeting'
  }: ${assembly.title} (${organization.name})`
  return { subject, lines }
}

/** Lines as HTML paragraphs (agenda items indented, links clickable), under the PH's name. */
export function noticeHtml(organizationName: string, lines: readonly string[]): string {
  return `<h1>${escapeHtml(organizationName)}</h1>\n${linesHtml(lines, { links: true })}`
}

/** The notice as an email to one person: a salutation, then the notice (see noticeContent). */
export function noticeMessage(input: {
  to: string
  fullName: string
  organization: NoticeOrganization
  assembly: Assembly
  agenda: ReadonlyArray<{ title: string }>
  corrected: boolean
}): MailMessage {
  const es = input.organization.language !== 'en'
  const { subject, lines } = noticeContent(input)
  const salutation = es ? `Estimado(a) ${input.fullName}:` : `Dear ${input.fullName},`
  const all = input.corrected ? [lines[0]!, salutation, ...lines.slice(1)] : [salutation, ...lines]
  // The email wears the layout of every communication; the stored transcription stays plain (noticeHtml).
  const html = emailLayout({
    organizationName: input.organization.name,
    title: subject,
    body: linesHtml(all, { links: true }),
  })
  return { to: input.to, subject, text: all.join('\n\n'), html }
}

/**
 * Sends the notice to every owner and every holder of an active proxy: by email to those with one
 * (kind 'notice' or 'corrected_notice' in the mail log) and to their linked chats, recorded unit by
 * unit as a communication. Stores its transcription (subject, text, HTML, time; `changed` names what a
 * corrected notice changed) in assembly_notices for the acta. Throws 404 for an unknown assembly.
 */
export async function sendNotice(
  deps: CommunicationDeps,
  input: { organizationId: string; assemblyId: string; corrected?: boolean; changed?: string[] },
): Promise<Delivery[]> {
  const { organizationId, assemblyId } = input
  const corrected = input.corrected ?? false
  const kind = corrected ? 'corrected_notice' : 'notice'
  const agenda = await listAgendaItems(deps.db, input)
  const { organization, assembly, subject, lines } = await withTenant(deps.db, organizationId, async (tx) => {
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId))
    const [assembly] = await tx
      .select()
      .from(assemblies)
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
    if (!organization || !assembly) throw notFound('Assembly')
    const { subject, lines } = noticeContent({ organization, assembly, agenda, corrected })
    await tx.insert(assemblyNotices).values({
      organizationId,
      assemblyId,
      kind,
      changed: input.changed ?? [],
      subject,
      text: lines.join('\n\n'),
      html: noticeHtml(organization.name, lines),
    })
    return { organization, assembly, subject, lines }
  })
  const content: CommunicationContent = {
    subject,
    text: lines.join('\n\n'),
    html: noticeHtml(organization.name, lines),
    email: (person) =>
      noticeMessage({
        to: person.email,
        fullName: person.fullName,
        organization,
        assembly,
        agenda,
        corrected,
      }),
    chat: () => ({
      text: `${organization.name}\n${subject}\n\n${lines.join('\n')}`,
      params: [organization.name, assembly.title, subject],
    }),
  }
  const communication = await createCommunication(deps.db, {
    organizationId,
    assemblyId,
    kind: corrected ? 'corrected_notice' : 'notice',
    trigger: 'admin',
    content,
  })
  const { mail } = await deliverCommunication(deps, communication!, { mode: 'notice', content })
  return mail
}

/** Every notice sent for the assembly, oldest first: the transcription the acta quotes (art. 71.3). */
export function listNotices(db: Database, input: { organizationId: string; assemblyId: string }) {
  return withTenant(db, input.organizationId, (tx) =>
    tx
      .select()
      .from(assemblyNotices)
      .where(
        and(
          eq(assemblyNotices.organizationId, input.organizationId),
          eq(assemblyNotices.assemblyId, input.assemblyId),
        ),
      )
      .orderBy(asc(assemblyNotices.sentAt)),
  )
}
