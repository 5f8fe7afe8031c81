import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations, ownerships, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import type { Mailer, MailMessage } from '../auth/mailer.ts'
import { paragraphsHtml } from '../communications/email-html.ts'
import { notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { type Delivery, sendManyLogged } from './deliveries.ts'

export type InvitedRole = 'owner' | 'ph_admin' | 'checkin_staff' | 'auditor'

const ROLE_TEXT = {
  es: {
    owner: 'como propietario',
    ph_admin: 'como administrador del PH',
    checkin_staff: 'como personal de la mesa de registro',
    auditor: 'como auditor (cifras exactas de las votaciones secretas)',
  },
  en: {
    owner: 'as an owner',
    ph_admin: 'as an administrator of the PH',
    checkin_staff: 'as check-in desk staff',
    auditor: 'as auditor (exact figures of secret ballots)',
  },
} as const

/**
 * The invitation email in the PH's language: what the platform is, what the person can do there,
 * and the link to sign in (a code by email, no password).
 */
export function invitationMessage(input: {
  language: string
  organizationName: string
  role: InvitedRole
  fullName: string | null
  email: string
  signInUrl: string
}): MailMessage {
  const es = input.language !== 'en'
  const greeting = es
    ? `Hola${input.fullName ? ` ${input.fullName}` : ''}:`
    : `Hello${input.fullName ? ` ${input.fullName}` : ''},`
  const role = (es ? ROLE_TEXT.es : ROLE_TEXT.en)[input.role]
  const paragraphs = es
    ? [
        greeting,
        `${input.organizationName} lo invita a Asamblea 2.0 ${role}.`,
        'Asamblea 2.0 es la plataforma donde el PH prepara y celebra sus asambleas de propietarios: allí verá la convocatoria, el orden del día y sus documentos, podrá otorgar un poder, registrar su asistencia y votar desde su teléfono o computadora, y consultar el acta.',
        `Para entrar, abra ${input.signInUrl} y escriba este correo (${input.email}). Le enviaremos un código de 6 dígitos; no necesita contraseña.`,
        'Si no esperaba este mensaje, puede ignorarlo.',
      ]
    : [
        greeting,
        `${input.organizationName} invites you to Assembly 2.0 ${role}.`,
        "Assembly 2.0 is where the PH prepares and holds its owners' assemblies: you will see the notice, the agenda and its documents, can grant a proxy, check in and vote from your phone or computer, and read the minutes.",
        `To sign in, open ${input.signInUrl} and type this email (${input.email}). We will send you a 6-digit code; no password is needed.`,
        'If you did not expect this message, you can ignore it.',
      ]
  const subject = es
    ? `${input.organizationName}: invitación a Asamblea 2.0`
    : `${input.organizationName}: invitation to Assembly 2.0`
  const html = paragraphsHtml(paragraphs, input.signInUrl)
  return { to: input.email, subject, text: paragraphs.join('\n\n'), html }
}

/**
 * Emails an invitation to owners of the PH: the given people, or every owner with an email. Each
 * message is in the delivery log; owners without an email are counted as skipped. Throws 404 for an
 * unknown PH.
 */
export async function inviteOwners(
  deps: { db: Database; mailer: Mailer; publicUrl: string },
  input: { organizationId: string; personIds: readonly string[] | 'all'; actor: Actor },
): Promise<{ deliveries: Delivery[]; skipped: Array<{ personId: string; fullName: string }> }> {
  const { organizationId } = input
  const { organization, owners } = await withTenant(deps.db, organizationId, async (tx) => {
    const [organization] = await tx
      .select({ name: organizations.name, language: organizations.language })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    if (!organization) throw notFound('Organization')
    const rows = await tx
      .selectDistinct({ id: people.id, fullName: people.fullName, email: people.email })
      .from(people)
      .innerJoin(ownerships, eq(ownerships.personId, people.id))
      .where(
        and(
          eq(people.organizationId, organizationId),
          input.personIds === 'all' ? undefined : inArray(people.id, [...input.personIds]),
        ),
      )
    return { organization, owners: rows }
  })
  if (input.personIds !== 'all' && input.personIds.some((id) => !owners.some((owner) => owner.id === id)))
    throw notFound('Person')
  const signInUrl = new URL('/sign-in', deps.publicUrl).toString()
  const reachable = owners.filter((owner) => owner.email)
  const deliveries = await sendManyLogged(
    deps,
    reachable.map((owner) => ({
      organizationId,
      personId: owner.id,
      kind: 'invitation',
      message: invitationMessage({
        language: organization.language,
        organizationName: organization.name,
        role: 'owner',
        fullName: owner.fullName,
        email: owner.email!,
        signInUrl,
      }),
    })),
  )
  await appendAudit(deps.db, {
    action: 'owners.invited',
    organizationId,
    actorUserId: input.actor.userId,
    data: {
      sent: deliveries.filter((row) => row.status === 'accepted').length,
      failed: deliveries.filter((row) => row.status === 'failed').length,
    },
  })
  return {
    deliveries,
    skipped: owners
      .filter((owner) => !owner.email)
      .map((owner) => ({ personId: owner.id, fullName: owner.fullName })),
  }
}

/** The invitation of a co-administrator or desk staff member, logged like any other message. */
export async function inviteStaff(
  deps: { db: Database; mailer: Mailer; publicUrl: string },
  input: { organizationId: string; email: string; role: 'ph_admin' | 'checkin_staff' | 'auditor' },
): Promise<Delivery> {
  const [organization] = await withTenant(deps.db, input.organizationId, (tx) =>
    tx
      .select({ name: organizations.name, language: organizations.language })
      .from(organizations)
      .where(eq(organizations.id, input.organizationId)),
  )
  if (!organization) throw notFound('Organization')
  const [delivery] = await sendManyLogged(deps, [
    {
      organizationId: input.organizationId,
      kind: 'invitation',
      message: invitationMessage({
        language: organization.language,
        organizationName: organization.name,
        role: input.role,
        fullName: null,
        email: input.email,
        signInUrl: new URL('/sign-in', deps.publicUrl).toString(),
      }),
    },
  ])
  return delivery!
}
