import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { chatLinks, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { activeProxies } from '../assemblies/proxy-revocation.ts'
import { compareUnitNumbers } from '../ph/validation.ts'

/*
 * Who a communication reaches, unit by unit: art. 71 speaks of sending to each unit, so the delivery
 * record is per unit even when one owner of three units gets one email.
 */

export interface Recipient {
  personId: string
  fullName: string
  email: string | null
  userId: string | null
}

export interface UnitAudience {
  unitId: string
  unitNumber: string
  recipients: Recipient[]
}

export interface ChatTarget {
  linkId: string
  userId: string
  channel: 'telegram' | 'whatsapp'
  chatId: string
  language: 'es' | 'en'
}

/**
 * 'owners': every owner of every unit (the summary, the acta). 'notice': owners and the holders of the
 * assembly's active proxies (for the unit they hold). 'reminder': as 'notice', but an owner whose every
 * unit already has an active proxy is left out (they have arranged their representation).
 */
export type AudienceMode = 'owners' | 'notice' | 'reminder'

/** Every unit of the PH with its recipients, in natural unit order. Runs inside a tenant transaction. */
export async function loadAudience(
  tx: Database,
  input: { organizationId: string; assemblyId: string; mode: AudienceMode },
): Promise<UnitAudience[]> {
  const { organizationId, assemblyId, mode } = input
  const person = {
    personId: people.id,
    fullName: people.fullName,
    email: people.email,
    userId: people.userId,
  }
  const [unitRows, owned, held] = await Promise.all([
    tx
      .select({ id: units.id, number: units.number })
      .from(units)
      .where(eq(units.organizationId, organizationId)),
    tx
      .select({ unitId: ownerships.unitId, ...person })
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(eq(ownerships.organizationId, organizationId)),
    mode === 'owners'
      ? Promise.resolve([])
      : tx
          .select({ unitId: proxies.grantorUnitId, ...person })
          .from(proxies)
          .innerJoin(people, eq(people.id, proxies.holderPersonId))
          .where(activeProxies(organizationId, assemblyId)),
  ])
  const proxied = new Set(held.map((row) => row.unitId))
  // An owner is left out of reminders only when none of their units is still theirs to attend.
  const open = new Set(owned.filter((row) => !proxied.has(row.unitId)).map((row) => row.personId))
  const byUnit = new Map<string, Recipient[]>()
  const add = (unitId: string, recipient: Recipient) => {
    const list = byUnit.get(unitId) ?? []
    if (!list.some((r) => r.personId === recipient.personId)) list.push(recipient)
    byUnit.set(unitId, list)
  }
  for (const { unitId, ...recipient } of owned)
    if (mode !== 'reminder' || open.has(recipient.personId)) add(unitId, recipient)
  for (const { unitId, ...recipient } of held) add(unitId, recipient)
  return unitRows
    .map((unit) => ({ unitId: unit.id, unitNumber: unit.number, recipients: byUnit.get(unit.id) ?? [] }))
    .sort((a, b) => compareUnitNumbers(a.unitNumber, b.unitNumber))
}

/** The linked, unmuted chats of these users (chat links belong to users, not to a PH). */
export async function loadChatTargets(db: Database, userIds: readonly string[]): Promise<ChatTarget[]> {
  if (userIds.length === 0) return []
  const rows = await db
    .select()
    .from(chatLinks)
    .where(and(inArray(chatLinks.userId, [...new Set(userIds)]), eq(chatLinks.muted, false)))
  return rows.map((link) => ({
    linkId: link.id,
    userId: link.userId,
    channel: link.channel,
    chatId: link.externalChatId,
    language: link.language === 'en' ? 'en' : 'es',
  }))
}
