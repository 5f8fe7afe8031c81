import { and, eq, inArray } from 'drizzle-orm'
import { ownerships, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import { listProxies } from '../assemblies/proxies.ts'
import { computeQuorum } from '../assemblies/quorum.ts'
import { resolveMembership } from '../auth/membership.ts'
import { hashReceipt, normalizeReceiptCode, verifyReceipt } from '../motions/receipts.ts'
import { createVoteQueue } from '../votes/queue.ts'
import {
  assemblyMotions,
  currentAssembly,
  listUserOrganizations,
  type UserOrganization,
  visibleAssemblies,
  votedMotions,
} from './directory.ts'
import { formatDateTime, type MessageKey, t } from './i18n.ts'
import type { ChatServices, Lang, Reply } from './types.ts'

/*
 * The read-only intents of a linked user: assemblies, agenda, quorum, proxies and receipts, answered
 * from live data across every PH the user belongs to.
 */

type Deps = Pick<ChatServices, 'db' | 'bus'>

const statusText = (lang: Lang, status: string) => t(lang, `status_${status}` as MessageKey)

/** The assemblies of each of the user's PHs (latest five each). */
export async function describeAssemblies(deps: Deps, userId: string, lang: Lang): Promise<Reply[]> {
  const orgs = await listUserOrganizations(deps.db, userId)
  const blocks: string[] = []
  for (const org of orgs) {
    const list = await visibleAssemblies(deps.db, org.organizationId)
    if (list.length === 0) continue
    const lines = list.map((assembly) =>
      t(lang, 'assemblyLine', {
        number: assembly.number,
        title: assembly.title,
        status: statusText(lang, assembly.status),
        date: formatDateTime(lang, assembly.firstCallAt, org.timeZone),
      }),
    )
    blocks.push([t(lang, 'assembliesOf', { ph: org.name }), ...lines].join('\n'))
  }
  return [{ text: blocks.length > 0 ? blocks.join('\n\n') : t(lang, 'noAssemblies') }]
}

/** Runs `describe` for the current assembly of each PH; says so where there is none. */
async function perCurrentAssembly(
  deps: Deps,
  userId: string,
  lang: Lang,
  describe: (
    org: UserOrganization,
    assembly: NonNullable<Awaited<ReturnType<typeof currentAssembly>>>,
  ) => Promise<string>,
): Promise<Reply[]> {
  const orgs = await listUserOrganizations(deps.db, userId)
  if (orgs.length === 0) return [{ text: t(lang, 'noAssemblies') }]
  const blocks: string[] = []
  for (const org of orgs) {
    const assembly = await currentAssembly(deps.db, org.organizationId)
    blocks.push(assembly ? await describe(org, assembly) : t(lang, 'noCurrentAssembly', { ph: org.name }))
  }
  return [{ text: blocks.join('\n\n') }]
}

/** The agenda of the current assembly of each PH, with the motions under their items. */
export function describeAgenda(deps: Deps, userId: string, lang: Lang): Promise<Reply[]> {
  return perCurrentAssembly(deps, userId, lang, async (org, assembly) => {
    const scope = { organizationId: org.organizationId, assemblyId: assembly.id }
    const [items, motionList] = await Promise.all([
      listAgendaItems(deps.db, scope),
      assemblyMotions(deps.db, org.organizationId, assembly.id),
    ])
    const lines = [t(lang, 'agendaOf', { title: assembly.title, ph: org.name })]
    if (items.length === 0) lines.push(t(lang, 'agendaEmpty'))
    const motionLine = (motion: (typeof motionList)[number]) =>
      t(lang, 'agendaMotion', {
        title: motion.title,
        status: t(lang, `motion_${motion.status}` as MessageKey),
      })
    for (const item of items) {
      lines.push(`${item.position}. ${item.title}`)
      for (const motion of motionList.filter((m) => m.agendaItemId === item.id))
        lines.push(motionLine(motion))
    }
    for (const motion of motionList.filter((m) => !m.agendaItemId)) lines.push(motionLine(motion))
    return lines.join('\n')
  })
}

/** The live quorum of the current assembly of each PH. */
export function describeQuorum(deps: Deps, userId: string, lang: Lang): Promise<Reply[]> {
  return perCurrentAssembly(deps, userId, lang, async (org, assembly) => {
    const quorum = await computeQuorum(deps.db, {
      organizationId: org.organizationId,
      assemblyId: assembly.id,
    })
    return t(lang, 'quorum', {
      title: assembly.title,
      ph: org.name,
      call: t(lang, quorum.call === 'first' ? 'callFirst' : 'callSecond'),
      percent: Number(quorum.byCoefficient.percent).toFixed(2),
      present: quorum.byUnits.present,
      total: quorum.byUnits.total,
      verdict: t(lang, quorum.reached ? 'quorumReached' : 'quorumMissing'),
    })
  })
}

/** Proxies the user holds, and proxies given for units the user owns, in current assemblies. */
export async function describeProxies(deps: Deps, userId: string, lang: Lang): Promise<Reply[]> {
  const lines: string[] = []
  for (const org of await listUserOrganizations(deps.db, userId)) {
    const assembly = await currentAssembly(deps.db, org.organizationId)
    if (!assembly) continue
    const { personIds } = await resolveMembership(deps.db, userId, org.organizationId)
    if (personIds.length === 0) continue
    const ownedUnitIds = await withTenant(deps.db, org.organizationId, async (tx) =>
      (
        await tx
          .select({ unitId: ownerships.unitId })
          .from(ownerships)
          .where(
            and(eq(ownerships.organizationId, org.organizationId), inArray(ownerships.personId, personIds)),
          )
      ).map((row) => row.unitId),
    )
    const active = await listProxies(deps.db, {
      organizationId: org.organizationId,
      assemblyId: assembly.id,
      status: 'active',
    })
    for (const proxy of active) {
      const params = { ph: org.name, unit: proxy.unitNumber, title: assembly.title, holder: proxy.holderName }
      if (personIds.includes(proxy.holderPersonId)) lines.push(t(lang, 'proxyHeld', params))
      else if (ownedUnitIds.includes(proxy.grantorUnitId)) lines.push(t(lang, 'proxyGranted', params))
    }
  }
  return [{ text: lines.length > 0 ? lines.join('\n') : t(lang, 'proxiesNone') }]
}

/**
 * Checks a receipt code against the votes of the user's PHs: the committed votes (and, for an open
 * motion, the ballots accepted but not yet written). Reveals nothing about the choice.
 */
export async function describeReceipt(
  deps: Deps,
  userId: string,
  lang: Lang,
  code: string | null,
): Promise<Reply[]> {
  const normalized = code ? normalizeReceiptCode(code) : null
  if (!normalized) return [{ text: t(lang, 'receiptUsage') }]
  const queue = createVoteQueue(deps.bus)
  for (const org of await listUserOrganizations(deps.db, userId)) {
    const candidates = await votedMotions(deps.db, org.organizationId)
    if (candidates.length === 0) continue
    const hashes = new Map(candidates.map((motion) => [hashReceipt(motion.id, normalized), motion]))
    const [stored] = await withTenant(deps.db, org.organizationId, (tx) =>
      tx
        .select({ motionId: votes.motionId })
        .from(votes)
        .where(and(eq(votes.organizationId, org.organizationId), inArray(votes.receipt, [...hashes.keys()])))
        .limit(1),
    )
    if (stored) {
      const motion = candidates.find((candidate) => candidate.id === stored.motionId)!
      const check = await verifyReceipt(deps.db, {
        organizationId: org.organizationId,
        motionId: motion.id,
        code: normalized,
      })
      const counted = check.countedInResult ? t(lang, 'receiptInResult') : ''
      return [{ text: t(lang, 'receiptCounted', { title: motion.title, counted }) }]
    }
    for (const motion of candidates.filter((candidate) => candidate.status === 'open')) {
      const latest = await queue.latest(motion.id)
      const hash = hashReceipt(motion.id, normalized)
      if (latest.some((ballot) => ballot.receipt === hash)) {
        return [{ text: t(lang, 'receiptPending', { title: motion.title }) }]
      }
    }
  }
  return [{ text: t(lang, 'receiptNotFound') }]
}
