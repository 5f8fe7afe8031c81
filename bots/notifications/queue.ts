import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Bus } from '../../core/bus/types.ts'
import { encodeAction } from '../../core/chat/actions.ts'
import { formatDateTime, type Params, t } from '../../core/chat/i18n.ts'
import { type Lang, languageOf, type Reply } from '../../core/chat/types.ts'
import {
  CHAT_OUTBOX_STREAM,
  type ChatTemplateKind,
  decodeChatMessage,
  encodeChatMessage,
  type OutboundChatMessage,
} from '../../core/communications/chat-outbox.ts'
import type { Logger } from '../../core/log.ts'
import type { Database } from '../../db/client.ts'
import { assemblies, chatLinks, memberships, motions, organizations, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'

/*
 * Assembly notifications: one stream entry per linked, unmuted chat of the PH's people and staff,
 * drained by the sender (sender.ts) within each platform's rate limits. An event is queued once, however
 * many processes or callers announce it (a dedup key in the bus).
 */

export const NOTIFICATION_STREAM = CHAT_OUTBOX_STREAM
export const NOTIFICATION_GROUP = 'bots-senders'
const DEDUP_TTL_MS = 30 * 86_400_000

export type NotificationKind = ChatTemplateKind

export interface AssemblyEventInput {
  kind: 'convened' | 'started' | 'motion_opened'
  organizationId: string
  assemblyId: string
  /** Required for 'motion_opened'. */
  motionId?: string
}

/** One message to one chat, as it travels through the stream (shared with core, which queues too). */
export interface OutboundNotification extends OutboundChatMessage {
  language: Lang
  reply: Reply
}

export interface NotifyDeps {
  db: Database
  bus: Bus
  log: Logger
}

export const encodeNotification: (notification: OutboundNotification) => Record<string, string> =
  encodeChatMessage

export const decodeNotification = decodeChatMessage as (
  fields: Record<string, string>,
) => OutboundNotification | null

/**
 * Users who hear about a PH's assemblies: its people with an account, and its staff. The convocatoria
 * itself reaches owners' and holders' chats as a communication (core/mail/notice.ts, recorded unit by
 * unit), so the 'convened' event only tells staff who are not also people of the PH.
 */
async function audienceOf(db: Database, event: AssemblyEventInput): Promise<string[]> {
  const { organizationId } = event
  const personUsers = await withTenant(db, organizationId, (tx) =>
    tx
      .selectDistinct({ userId: people.userId })
      .from(people)
      .where(and(eq(people.organizationId, organizationId), isNotNull(people.userId))),
  )
  const staff = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId))
  const peopleIds = personUsers.map((row) => row.userId!)
  if (event.kind === 'convened') {
    const known = new Set(peopleIds)
    return [...new Set(staff.map((row) => row.userId).filter((id) => !known.has(id)))]
  }
  return [...new Set([...peopleIds, ...staff.map((row) => row.userId)])]
}

async function describeEvent(db: Database, event: AssemblyEventInput) {
  return withTenant(db, event.organizationId, async (tx) => {
    const [row] = await tx
      .select({ assembly: assemblies, phName: organizations.name, timeZone: organizations.timeZone })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.id, event.assemblyId), eq(assemblies.organizationId, event.organizationId)))
    if (!row) return null
    if (event.kind !== 'motion_opened') return { ...row, motionTitle: null }
    if (!event.motionId) return null
    const [motion] = await tx
      .select({ title: motions.title })
      .from(motions)
      .where(and(eq(motions.id, event.motionId), eq(motions.organizationId, event.organizationId)))
    return motion ? { ...row, motionTitle: motion.title } : null
  })
}

type EventFacts = NonNullable<Awaited<ReturnType<typeof describeEvent>>>

function render(
  event: AssemblyEventInput,
  facts: EventFacts,
  lang: Lang,
): OutboundNotification['reply'] & { params: string[] } {
  const { assembly, phName, timeZone } = facts
  const date = formatDateTime(lang, assembly.firstCallAt, timeZone)
  if (event.kind === 'convened') {
    const where = assembly.location ?? assembly.meetingUrl
    const place = where ? t(lang, 'notifyPlace', { place: where }) : ''
    return {
      text: t(lang, 'notifyConvened', { ph: phName, title: assembly.title, date, place }),
      params: [phName, assembly.title, date],
    }
  }
  if (event.kind === 'started') {
    return {
      text: t(lang, 'notifyStarted', { ph: phName, title: assembly.title }),
      params: [phName, assembly.title, date],
    }
  }
  const params: Params = { ph: phName, title: facts.motionTitle ?? '' }
  return {
    text: t(lang, 'notifyMotionOpened', params),
    choices: [
      { id: encodeAction({ kind: 'pick', motionId: event.motionId! }), label: t(lang, 'voteButton') },
    ],
    params: [phName, facts.motionTitle ?? '', assembly.title],
  }
}

/** The key that makes an event notify once. */
export function eventKey(event: AssemblyEventInput): string {
  return `bots:notified:${event.kind}:${event.assemblyId}:${event.motionId ?? '-'}`
}

/**
 * Queues the notification of an assembly event for every linked, unmuted chat of the PH's audience.
 * Call it after the change commits: when an assembly is convened or started, and when a motion opens
 * (the bots process also finds these events itself, see watcher.ts). Idempotent per event.
 */
export async function notifyAssemblyEvent(
  deps: NotifyDeps,
  event: AssemblyEventInput,
  now = Date.now(),
): Promise<{ queued: number; duplicate: boolean }> {
  if (!(await deps.bus.setIfAbsent(eventKey(event), String(now), DEDUP_TTL_MS))) {
    return { queued: 0, duplicate: true }
  }
  try {
    return { queued: await queueFor(deps, event), duplicate: false }
  } catch (error) {
    // Not queued after all: the next announcement (or the watcher's next pass) may try again.
    await deps.bus.del(eventKey(event))
    throw error
  }
}

async function queueFor(deps: NotifyDeps, event: AssemblyEventInput): Promise<number> {
  const facts = await describeEvent(deps.db, event)
  if (!facts) {
    deps.log.warn('notification for an unknown assembly or motion', { ...event })
    return 0
  }
  const userIds = await audienceOf(deps.db, event)
  const links =
    userIds.length === 0
      ? []
      : await deps.db
          .select()
          .from(chatLinks)
          .where(and(inArray(chatLinks.userId, userIds), eq(chatLinks.muted, false)))
  for (const link of links) {
    const lang = languageOf(link.language)
    const { params, ...reply } = render(event, facts, lang)
    const notification: OutboundNotification = {
      linkId: link.id,
      channel: link.channel,
      chatId: link.externalChatId,
      language: lang,
      reply,
      template: { kind: event.kind, params },
      attempt: 0,
      notBefore: 0,
    }
    await deps.bus.streamAdd(NOTIFICATION_STREAM, encodeNotification(notification))
  }
  deps.log.info('assembly notification queued', { ...event, chats: links.length })
  return links.length
}
