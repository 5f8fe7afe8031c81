import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, motions, organizations, ownerships, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { ProxyView } from '../assemblies/proxies.ts'
import type { Mailer } from '../auth/mailer.ts'
import { linesHtml } from '../communications/email-html.ts'
import { type Delivery, sendLogged } from './deliveries.ts'

/**
 * Tells the holder of an owner-filed proxy, in the PH's language, which unit they will represent, at
 * which assembly, how to vote where the owner directed it, and whether it still awaits approval.
 * Logged (kind 'proxy_filed', subject the proxy). Returns null when the holder has no email.
 */
export async function sendProxyFiled(
  deps: { db: Database; mailer: Mailer; publicUrl: string },
  input: { organizationId: string; proxy: ProxyView; ownerPersonIds: readonly string[] },
): Promise<Delivery | null> {
  const { organizationId, proxy } = input
  if (!proxy.holderEmail) return null
  const facts = await withTenant(deps.db, organizationId, async (tx) => {
    const [row] = await tx
      .select({
        ph: organizations.name,
        language: organizations.language,
        timeZone: organizations.timeZone,
        title: assemblies.title,
        firstCallAt: assemblies.firstCallAt,
      })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, proxy.assemblyId)))
    const owners = await tx
      .select({ name: people.fullName })
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(
        and(
          eq(ownerships.organizationId, organizationId),
          eq(ownerships.unitId, proxy.grantorUnitId),
          input.ownerPersonIds.length > 0
            ? inArray(ownerships.personId, [...input.ownerPersonIds])
            : undefined,
        ),
      )
    const ids = Object.keys(proxy.instructions ?? {})
    const directed =
      ids.length === 0
        ? []
        : await tx
            .select({ id: motions.id, title: motions.title, options: motions.options })
            .from(motions)
            .where(and(eq(motions.organizationId, organizationId), inArray(motions.id, ids)))
    return { ...row!, owner: owners[0]?.name ?? '', directed }
  })
  const es = facts.language !== 'en'
  const when = new Intl.DateTimeFormat(es ? 'es-PA' : 'en', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: facts.timeZone,
  }).format(facts.firstCallAt)
  const lines = [
    es ? `Estimado(a) ${proxy.holderName}:` : `Dear ${proxy.holderName},`,
    es
      ? `${facts.owner} le otorgó un poder para representar la unidad ${proxy.unitNumber} en la asamblea «${facts.title}» de ${facts.ph}, el ${when}.`
      : `${facts.owner} gave you a proxy to represent unit ${proxy.unitNumber} at the assembly “${facts.title}” of ${facts.ph}, on ${when}.`,
  ]
  if (proxy.status === 'pending') {
    lines.push(
      es
        ? 'El poder espera la aprobación de la administración; le avisaremos en la plataforma cuando sea aprobado.'
        : 'The proxy awaits the administration’s approval; you will see it on the platform once approved.',
    )
  }
  if (facts.directed.length > 0) {
    lines.push(
      es
        ? 'El propietario le indicó cómo votar en estas mociones (la plataforma solo aceptará ese voto):'
        : 'The owner told you how to vote on these motions (the platform will accept only that vote):',
    )
    for (const motion of facts.directed) {
      const key = proxy.instructions![motion.id]
      const label = motion.options.find((option) => option.key === key)?.label ?? key
      lines.push(`  • ${motion.title}: ${label}`)
    }
  }
  lines.push(
    es
      ? `Ingrese con este correo en ${deps.publicUrl} para verlo.`
      : `Sign in with this email at ${deps.publicUrl} to see it.`,
  )
  const subject = es
    ? `Poder para la unidad ${proxy.unitNumber} — ${facts.ph}`
    : `Proxy for unit ${proxy.unitNumber} — ${facts.ph}`
  const html = linesHtml(lines)
  return sendLogged(deps, {
    organizationId,
    personId: proxy.holderPersonId,
    kind: 'proxy_filed',
    subjectId: proxy.id,
    message: { to: proxy.holderEmail, subject, text: lines.join('\n\n'), html },
  })
}
