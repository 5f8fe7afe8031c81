import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { renderActaPdf } from '../acta/pdf.ts'
import { type FrozenActa, loadFrozenActa, thawActa } from '../acta/record.ts'
import { AppError } from '../errors.ts'
import { notFound } from '../ph/errors.ts'
import {
  type Communication,
  type CommunicationContent,
  type CommunicationDeps,
  type CommunicationKind,
  createCommunication,
  deliverCommunication,
} from './deliver.ts'
import { emailButton, emailLayout, escapeHtml, linkify } from './email-html.ts'
import { summaryContent, summaryLanguage } from './summary.ts'

/*
 * What the administration sends once the meeting is over: the summary of the decisions (art. 71, to
 * every unit within three calendar days) and the acta. Both are built from the acta frozen at the
 * close, never from the live tables.
 */

type AssemblyRow = typeof assemblies.$inferSelect

/**
 * Whether the acta may go to the owners: the assembly is closed and its acta final (reviewed, and
 * signed by the president and the secretary; see core/acta/lifecycle.ts).
 */
export function actaReadyToSend(
  assembly: Pick<AssemblyRow, 'status' | 'actaStatus'>,
  frozen: FrozenActa | null,
): boolean {
  return assembly.status === 'closed' && assembly.actaStatus === 'final' && frozen !== null
}

async function loadClosed(db: Database, input: { organizationId: string; assemblyId: string }) {
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .select({ assembly: assemblies, language: organizations.language })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
    if (!row) throw notFound('Assembly')
    return { ...row, frozen: await loadFrozenActa(tx, input) }
  })
}

export interface SendInput {
  organizationId: string
  assemblyId: string
  trigger: 'automatic' | 'admin'
  requestedByUserId?: string | null
  /** The site's address, for the links in the messages. */
  publicUrl: string
}

const homeLink = (publicUrl: string, input: { organizationId: string; assemblyId: string }) =>
  `${publicUrl.replace(/\/+$/, '')}/?organization=${input.organizationId}&assembly=${input.assemblyId}`

/**
 * Sends the summary of the decisions to every unit. Refused (409 `assembly_not_closed`) before the
 * close. An automatic send happens once per assembly: a second returns null.
 */
export async function sendSummary(deps: CommunicationDeps, input: SendInput): Promise<Started | null> {
  const { assembly, language, frozen } = await loadClosed(deps.db, input)
  if (assembly.status !== 'closed' || !frozen)
    throw new AppError(409, 'assembly_not_closed', 'The summary of the decisions is sent after the close')
  const lang = summaryLanguage(language)
  const summary = summaryContent(thawActa(frozen, false), lang)
  const link = homeLink(input.publicUrl, input)
  const footer =
    lang === 'es' ? `Puede consultarlo en la plataforma: ${link}` : `You can read it on the platform: ${link}`
  const button = emailButton(lang === 'es' ? 'Ver en la plataforma' : 'Open on the platform', link)
  return send(deps, input, 'summary', {
    subject: summary.subject,
    text: summary.text,
    html: summary.html,
    email: (recipient) => ({
      to: recipient.email,
      subject: summary.subject,
      text: `${summary.salutation(recipient.fullName)}\n\n${summary.text}\n\n${footer}`,
      html: summary.html
        .replace('<p>', `<p>${escapeHtml(summary.salutation(recipient.fullName))}</p>\n<p>`)
        .replace(/<\/div>$/, `${button}\n</div>`),
    }),
    chat: () => ({
      text: `${summary.chatText}\n\n${footer}`,
      params: [frozen.model.ph.name, frozen.model.meeting.title, summary.subject],
    }),
  })
}

/**
 * Sends the acta to the owners: a link and the PDF by email, a link to linked chats. Refused
 * (409 `acta_not_ready`) while actaReadyToSend says no.
 */
export async function sendActa(deps: CommunicationDeps, input: SendInput): Promise<Started | null> {
  const { assembly, language, frozen } = await loadClosed(deps.db, input)
  if (!actaReadyToSend(assembly, frozen) || !frozen)
    throw new AppError(
      409,
      'acta_not_ready',
      'The acta is sent to the owners once it is final (reviewed and signed by the president and the secretary)',
    )
  const model = thawActa(frozen, false)
  const es = summaryLanguage(language) === 'es'
  // Rendering the PDF takes seconds: it happens while sending, not while the administrator waits.
  let pdf = Buffer.alloc(0)
  const renderPdf = async () => {
    pdf = Buffer.from(await renderActaPdf(model, { language }))
  }
  const link = homeLink(input.publicUrl, input)
  const subject = es
    ? `Acta n.º ${model.acta.number}: ${model.meeting.title} (${model.ph.name})`
    : `Acta no. ${model.acta.number}: ${model.meeting.title} (${model.ph.name})`
  const lines = es
    ? [
        `La administración de ${model.ph.name} le envía el acta de la asamblea «${model.meeting.title}».`,
        'La encontrará adjunta en PDF.',
      ]
    : [
        `The administration of ${model.ph.name} sends you the acta of the assembly “${model.meeting.title}”.`,
        'It is attached as a PDF.',
      ]
  const linkLine = es
    ? `También puede leerla en la plataforma: ${link}`
    : `You can also read it on the platform: ${link}`
  const text = [...lines, linkLine].join('\n\n')
  const salutation = (name: string) => (es ? `Estimado(a) ${name}:` : `Dear ${name},`)
  const html = (name: string | null) =>
    emailLayout({
      organizationName: model.ph.name,
      title: subject,
      body: `${[...(name ? [salutation(name)] : []), ...lines]
        .map((line) => `<p>${linkify(line)}</p>`)
        .join(
          '\n',
        )}\n${emailButton(es ? 'Leer el acta en la plataforma' : 'Read the acta on the platform', link)}`,
    })
  return send(
    deps,
    input,
    'acta',
    {
      subject,
      text,
      html: html(null),
      email: (recipient) => ({
        to: recipient.email,
        subject,
        text: `${salutation(recipient.fullName)}\n\n${text}`,
        html: html(recipient.fullName),
        attachments: [
          { filename: `acta-${model.acta.number}.pdf`, content: pdf, contentType: 'application/pdf' },
        ],
      }),
      chat: (lang) => ({
        text:
          lang === 'es'
            ? `${model.ph.name}: el acta de la asamblea «${model.meeting.title}» está disponible. Léala aquí: ${link}`
            : `${model.ph.name}: the acta of the assembly “${model.meeting.title}” is available. Read it here: ${link}`,
        params: [model.ph.name, model.meeting.title, subject],
      }),
    },
    renderPdf,
  )
}

/** A communication recorded and being delivered: `done` settles when every unit has its rows. */
export interface Started {
  communication: Communication
  done: Promise<void>
}

async function send(
  deps: CommunicationDeps,
  input: SendInput,
  kind: CommunicationKind,
  content: CommunicationContent,
  /** Work the messages need that may run after the answer (the acta's PDF). */
  prepare: () => Promise<void> = async () => {},
): Promise<Started | null> {
  const communication = await createCommunication(deps.db, { ...input, kind, content })
  if (!communication) return null
  const done = prepare()
    .then(() => deliverCommunication(deps, communication, { mode: 'owners', content }))
    .then(() => undefined)
  return { communication, done }
}
