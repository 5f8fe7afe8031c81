import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, organizations, ownerships, people, proxies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import type { Mailer, MailMessage } from '../auth/mailer.ts'
import { notFound } from '../ph/errors.ts'
import { type Delivery, sendManyLogged } from './deliveries.ts'

type Assembly = typeof assemblies.$inferSelect

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * The notice of meeting (convocatoria) as an email, in the PH's language and time zone: class of
 * meeting, date and time, place and/or video link, agenda, who convenes, the second-call clause and
 * the call text. `corrected` marks a notice sent again after the date, place or agenda changed.
 */
export function noticeMessage(input: {
  to: string
  fullName: string
  organization: { name: string; language: string; timeZone: string; locale: string }
  assembly: Assembly
  agenda: ReadonlyArray<{ title: string }>
  corrected: boolean
}): MailMessage {
  const { organization, assembly } = input
  const es = organization.language !== 'en'
  const when = (date: Date) =>
    new Intl.DateTimeFormat(es ? 'es-PA' : 'en', {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: organization.timeZone,
    }).format(date)
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
  lines.push(es ? `Estimado(a) ${input.fullName}:` : `Dear ${input.fullName},`)
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
        ? `De no haber quórum, la asamblea se celebrará en segunda convocatoria el ${when(assembly.secondCallAt)}.`
        : `If there is no quorum, the assembly will be held at a second call on ${when(assembly.secondCallAt)}.`,
    )
  lines.push(es ? 'Orden del día:' : 'Agenda:')
  for (const [index, item] of input.agenda.entries()) lines.push(`  ${index + 1}. ${item.title}`)
  if (assembly.callText) lines.push(assembly.callText)
  if (assembly.convenedBy) lines.push(`${es ? 'Convoca' : 'Convened by'}: ${assembly.convenedBy}`)
  const subject = `${input.corrected ? (es ? 'Aviso corregido — ' : 'Corrected notice — ') : ''}${
    es ? 'Convocatoria' : 'Notice of meeting'
  }: ${assembly.title} (${organization.name})`
  const html = `<h1>${escapeHtml(organization.name)}</h1>\n${lines
    .map((line) =>
      line.startsWith('  ')
        ? `<p style="margin-left:1.5em">${escapeHtml(line.trim())}</p>`
        : `<p>${escapeHtml(line).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</p>`,
    )
    .join('\n')}`
  return { to: input.to, subject, text: lines.join('\n\n'), html }
}

/**
 * Emails the notice to every owner and every holder of a filed proxy who has an email, each logged
 * (kind 'notice' or 'corrected_notice', subject the assembly). Throws 404 for an unknown assembly.
 */
export async function sendNotice(
  deps: { db: Database; mailer: Mailer },
  input: { organizationId: string; assemblyId: string; corrected?: boolean },
): Promise<Delivery[]> {
  const { organizationId, assemblyId } = input
  const agenda = await listAgendaItems(deps.db, input)
  const { organization, assembly, recipients } = await withTenant(deps.db, organizationId, async (tx) => {
    const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId))
    const [assembly] = await tx
      .select()
      .from(assemblies)
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
    if (!organization || !assembly) throw notFound('Assembly')
    const owners = await tx
      .selectDistinct({ id: people.id, fullName: people.fullName, email: people.email })
      .from(people)
      .innerJoin(ownerships, eq(ownerships.personId, people.id))
      .where(eq(people.organizationId, organizationId))
    const holders = await tx
      .selectDistinct({ id: people.id, fullName: people.fullName, email: people.email })
      .from(people)
      .innerJoin(proxies, eq(proxies.holderPersonId, people.id))
      .where(
        and(
          eq(people.organizationId, organizationId),
          eq(proxies.assemblyId, assemblyId),
          eq(proxies.status, 'active'),
        ),
      )
    const byId = new Map([...owners, ...holders].map((person) => [person.id, person]))
    return { organization, assembly, recipients: [...byId.values()].filter((person) => person.email) }
  })
  return sendManyLogged(
    deps,
    recipients.map((person) => ({
      organizationId,
      personId: person.id,
      kind: input.corrected ? 'corrected_notice' : 'notice',
      subjectId: assemblyId,
      message: noticeMessage({
        to: person.email!,
        fullName: person.fullName,
        organization,
        assembly,
        agenda,
        corrected: input.corrected ?? false,
      }),
    })),
  )
}
