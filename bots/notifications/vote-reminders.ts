import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import type { VoteReminderEvent } from '../../core/assemblies/vote-reminder-event.ts'
import { encodeAction } from '../../core/chat/actions.ts'
import { listUnits, t } from '../../core/chat/i18n.ts'
import { languageOf } from '../../core/chat/types.ts'
import { assemblies, chatLinks, motions, organizations, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import {
  encodeNotification,
  NOTIFICATION_STREAM,
  type NotifyDeps,
  type OutboundNotification,
} from './queue.ts'

/** A second press of "remind" within this time does not message a chat twice. */
const REPEAT_MS = 2 * 60_000

/**
 * Queues the "you have not voted yet" reminder for the linked, unmuted chats of the people the board
 * reminded (see core/assemblies/vote-reminder-event.ts), while the motion is still open. WhatsApp uses
 * the motion-opened template outside the 24-hour window. Returns how many chats were queued.
 */
export async function notifyVoteReminder(deps: NotifyDeps, event: VoteReminderEvent, now = Date.now()) {
  const personIds = Object.keys(event.units)
  if (personIds.length === 0) return 0
  const facts = await withTenant(deps.db, event.organizationId, async (tx) => {
    const [row] = await tx
      .select({
        motionTitle: motions.title,
        status: motions.status,
        phName: organizations.name,
        title: assemblies.title,
      })
      .from(motions)
      .innerJoin(assemblies, eq(assemblies.id, motions.assemblyId))
      .innerJoin(organizations, eq(organizations.id, motions.organizationId))
      .where(
        and(
          eq(motions.id, event.motionId),
          eq(motions.organizationId, event.organizationId),
          eq(motions.assemblyId, event.assemblyId),
        ),
      )
    const users = await tx
      .select({ personId: people.id, userId: people.userId })
      .from(people)
      .where(
        and(
          eq(people.organizationId, event.organizationId),
          inArray(people.id, personIds),
          isNotNull(people.userId),
        ),
      )
    return row ? { ...row, users } : null
  })
  if (facts?.status !== 'open' || facts.users.length === 0) return 0
  const unitsOfUser = new Map<string, string[]>()
  for (const { personId, userId } of facts.users)
    unitsOfUser.set(userId!, [...(unitsOfUser.get(userId!) ?? []), ...(event.units[personId] ?? [])])
  const links = await deps.db
    .select()
    .from(chatLinks)
    .where(and(inArray(chatLinks.userId, [...unitsOfUser.keys()]), eq(chatLinks.muted, false)))
  let queued = 0
  for (const link of links) {
    const key = `bots:reminded:${event.motionId}:${link.id}`
    if (!(await deps.bus.setIfAbsent(key, String(now), REPEAT_MS))) continue
    const lang = languageOf(link.language)
    const notification: OutboundNotification = {
      linkId: link.id,
      channel: link.channel,
      chatId: link.externalChatId,
      language: lang,
      reply: {
        text: t(lang, 'notifyVoteReminder', {
          ph: facts.phName,
          title: facts.motionTitle,
          units: listUnits(lang, unitsOfUser.get(link.userId) ?? []),
        }),
        choices: [
          { id: encodeAction({ kind: 'pick', motionId: event.motionId }), label: t(lang, 'voteButton') },
        ],
      },
      template: { kind: 'motion_opened', params: [facts.phName, facts.motionTitle, facts.title] },
      attempt: 0,
      notBefore: 0,
    }
    await deps.bus.streamAdd(NOTIFICATION_STREAM, encodeNotification(notification))
    queued += 1
  }
  deps.log.info('vote reminder queued', { motionId: event.motionId, chats: queued })
  return queued
}
