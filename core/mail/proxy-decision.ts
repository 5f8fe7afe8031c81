import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, organizations, ownerships, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { ProxyView } from '../assemblies/proxies.ts'
import type { Mailer } from '../auth/mailer.ts'
import type { Bus } from '../bus/types.ts'
import { loadChatTargets, type Recipient } from '../communications/audience.ts'
import { COMMUNICATION_TEMPLATE, queueChatMessages } from '../communications/chat-outbox.ts'
import { emailLayout, linkify } from '../communications/email-html.ts'
import { type Delivery, sendManyLogged } from './deliveries.ts'

/*
 * The administration approved or refused a proxy an owner filed, or revoked a proxy: the unit's owners
 * are told (and why, when refused or revoked), and the holder too on approval or revocation. By email
 * (kind 'proxy_decision' in the mail log, subject the proxy) and on their linked chats.
 */

type Facts = { ph: string; language: string; title: string }

function revokedLines(es: boolean, proxy: ProxyView, facts: Facts, holder: boolean): string[] {
  const reason = proxy.revokedReason
    ? es
      ? ` Motivo: ${proxy.revokedReason}.`
      : ` Reason: ${proxy.revokedReason}.`
    : ''
  if (es)
    return [
      holder
        ? `La administración de ${facts.ph} revocó el poder con el que usted representaba la unidad ${proxy.unitNumber} en la asamblea «${facts.title}».${reason}`
        : `La administración de ${facts.ph} revocó el poder de la unidad ${proxy.unitNumber} a favor de ${proxy.holderName} para la asamblea «${facts.title}».${reason}`,
    ]
  return [
    holder
      ? `The administration of ${facts.ph} revoked the proxy by which you represented unit ${proxy.unitNumber} at the assembly “${facts.title}”.${reason}`
      : `The administration of ${facts.ph} revoked the proxy of unit ${proxy.unitNumber} to ${proxy.holderName} for the assembly “${facts.title}”.${reason}`,
  ]
}

function ownerLines(es: boolean, proxy: ProxyView, facts: Facts, publicUrl: string): string[] {
  if (proxy.status === 'revoked') return revokedLines(es, proxy, facts, false)
  const approved = proxy.status === 'active'
  const reason = proxy.revokedReason
    ? es
      ? ` Motivo: ${proxy.revokedReason}.`
      : ` Reason: ${proxy.revokedReason}.`
    : ''
  return es
    ? [
        approved
          ? `La administración de ${facts.ph} aprobó el poder que usted dio a ${proxy.holderName} para representar la unidad ${proxy.unitNumber} en la asamblea «${facts.title}».`
          : `La administración de ${facts.ph} rechazó el poder que usted dio a ${proxy.holderName} para la unidad ${proxy.unitNumber} en la asamblea «${facts.title}».${reason}`,
        approved
          ? `Puede verlo o retirarlo en ${publicUrl}.`
          : `Puede dar un nuevo poder o asistir usted mismo: ${publicUrl}`,
      ]
    : [
        approved
          ? `The administration of ${facts.ph} approved the proxy you gave ${proxy.holderName} to represent unit ${proxy.unitNumber} at the assembly “${facts.title}”.`
          : `The administration of ${facts.ph} refused the proxy you gave ${proxy.holderName} for unit ${proxy.unitNumber} at the assembly “${facts.title}”.${reason}`,
        approved
          ? `You can see or withdraw it at ${publicUrl}.`
          : `You can give a new proxy or attend yourself: ${publicUrl}`,
      ]
}

function holderLines(es: boolean, proxy: ProxyView, facts: Facts, publicUrl: string): string[] {
  return es
    ? [
        `La administración de ${facts.ph} aprobó el poder: usted representará la unidad ${proxy.unitNumber} en la asamblea «${facts.title}».`,
        `Ingrese con este correo en ${publicUrl} para verlo y votar.`,
      ]
    : [
        `The administration of ${facts.ph} approved the proxy: you will represent unit ${proxy.unitNumber} at the assembly “${facts.title}”.`,
        `Sign in with this email at ${publicUrl} to see it and vote.`,
      ]
}

export async function sendProxyDecision(
  deps: { db: Database; mailer: Mailer; bus: Bus; publicUrl: string },
  input: { organizationId: string; proxy: ProxyView },
): Promise<Delivery[]> {
  const { organizationId, proxy } = input
  const { facts, owners, holder } = await withTenant(deps.db, organizationId, async (tx) => {
    const [facts] = await tx
      .select({ ph: organizations.name, language: organizations.language, title: assemblies.title })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, proxy.assemblyId)))
    const person = {
      personId: people.id,
      fullName: people.fullName,
      email: people.email,
      userId: people.userId,
    }
    const owners = await tx
      .select(person)
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(and(eq(ownerships.organizationId, organizationId), eq(ownerships.unitId, proxy.grantorUnitId)))
    const [holder] = await tx.select(person).from(people).where(eq(people.id, proxy.holderPersonId))
    return { facts: facts!, owners, holder }
  })
  const es = facts.language !== 'en'
  const approved = proxy.status === 'active'
  const revoked = proxy.status === 'revoked'
  const word = es
    ? approved
      ? 'aprobado'
      : revoked
        ? 'revocado'
        : 'rechazado'
    : approved
      ? 'approved'
      : revoked
        ? 'revoked'
        : 'refused'
  const subject = es
    ? `Poder ${word}: unidad ${proxy.unitNumber} — ${facts.ph}`
    : `Proxy ${word}: unit ${proxy.unitNumber} — ${facts.ph}`
  const told: { recipient: Recipient; lines: string[] }[] = owners.map((owner) => ({
    recipient: owner,
    lines: ownerLines(es, proxy, facts, deps.publicUrl),
  }))
  if (approved && holder)
    told.push({ recipient: holder, lines: holderLines(es, proxy, facts, deps.publicUrl) })
  if (revoked && holder) told.push({ recipient: holder, lines: revokedLines(es, proxy, facts, true) })
  const salutation = (name: string) => (es ? `Estimado(a) ${name}:` : `Dear ${name},`)
  const mail = await sendManyLogged(
    deps,
    told
      .filter(({ recipient }) => recipient.email)
      .map(({ recipient, lines }) => {
        const all = [salutation(recipient.fullName), ...lines]
        return {
          organizationId,
          personId: recipient.personId,
          kind: 'proxy_decision',
          subjectId: proxy.id,
          message: {
            to: recipient.email!,
            subject,
            text: all.join('\n\n'),
            html: emailLayout({
              organizationName: facts.ph,
              title: subject,
              body: all.map((line) => `<p>${linkify(line)}</p>`).join('\n'),
            }),
          },
        }
      }),
  )
  const chats = await loadChatTargets(
    deps.db,
    told.flatMap(({ recipient }) => (recipient.userId ? [recipient.userId] : [])),
  )
  await queueChatMessages(
    deps.bus,
    chats.map((chat) => {
      const lines = told.find(({ recipient }) => recipient.userId === chat.userId)!.lines
      return {
        linkId: chat.linkId,
        channel: chat.channel,
        chatId: chat.chatId,
        language: chat.language,
        reply: { text: `${subject}\n\n${lines.join('\n\n')}` },
        template: { kind: COMMUNICATION_TEMPLATE, params: [facts.ph, facts.title, subject] },
        attempt: 0,
        notBefore: 0,
      }
    }),
  )
  return mail
}
