import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, motions, organizations, ownerships, people, proxies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { invalidField, notFound } from '../ph/errors.ts'
import { insertPerson, validatePerson } from '../ph/people.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid, optionalText } from '../ph/validation.ts'
import { announceProxyChange } from './events.ts'
import { lockAssembly } from './guards.ts'
import { type ProxyDeps, type ProxyView, proxyRow, registerProxy, selectProxy } from './proxies.ts'

/*
 * Proxies filed by owners themselves (from their home), as opposed to those the administration keys
 * in. The PH decides whether they wait for an administrator's approval and how many hours before the
 * first call they must be filed (art. 68: a common rule is 24 h for units owned by companies).
 */

/** Who the owner names as holder: found by email or cédula in the PH, or created with a name. */
export interface OwnerHolderInput {
  email?: string | null
  documentId?: string | null
  fullName?: string | null
  phone?: string | null
}

export interface FileOwnerProxyInput {
  organizationId: string
  assemblyId: string
  grantorUnitId: string
  /** The person records of the signed-in owner in this PH. */
  ownerPersonIds: readonly string[]
  holder: OwnerHolderInput
  /** Directed proxy: the option key the holder must vote, by motion id. */
  instructions?: Record<string, string> | null
  document?: { bytes: Uint8Array; contentType?: string } | null
  actor: Actor
  now?: Date
}

export interface OwnerProxySettings {
  ownerProxiesNeedApproval: boolean
  ownerProxyDeadlineHours: number
}

/** The last moment an owner may file: `hours` before the first call. */
export function filingDeadline(firstCallAt: Date, hours: number): Date {
  return new Date(firstCallAt.getTime() - hours * 3_600_000)
}

/**
 * Files a proxy of one of the owner's units. Throws 403 `not_unit_owner`, 404 `not_found`,
 * 409 `assembly_started` (the meeting has begun), 409 `proxy_deadline_passed`, 422
 * `validation_failed` (holder, instructions), and every error of registerProxy.
 */
export async function fileOwnerProxy(
  db: Database,
  input: FileOwnerProxyInput,
  deps: ProxyDeps = {},
): Promise<ProxyView> {
  const { organizationId, assemblyId, grantorUnitId } = input
  const now = input.now ?? new Date()
  const holder = normalizeHolder(input.holder)
  const instructions =
    input.instructions && Object.keys(input.instructions).length > 0 ? input.instructions : null
  const { settings, holderPersonId } = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertBeforeMeeting(assembly.status)
    await assertOwns(tx, organizationId, grantorUnitId, input.ownerPersonIds)
    const settings = await settingsOf(tx, organizationId)
    const deadline = filingDeadline(assembly.firstCallAt, settings.ownerProxyDeadlineHours)
    if (now > deadline) {
      throw new AppError(
        409,
        'proxy_deadline_passed',
        `Proxies must be filed by ${deadline.toISOString()} (${settings.ownerProxyDeadlineHours} h before the first call)`,
        { deadline: deadline.toISOString(), hours: settings.ownerProxyDeadlineHours },
      )
    }
    if (instructions) await validateInstructions(tx, organizationId, assemblyId, instructions)
    return { settings, holderPersonId: await findOrCreateHolder(tx, organizationId, holder) }
  })
  return registerProxy(
    db,
    {
      organizationId,
      assemblyId,
      grantorUnitId,
      holder: { personId: holderPersonId },
      document: input.document ?? null,
      status: settings.ownerProxiesNeedApproval ? 'pending' : 'active',
      instructions,
      filedByOwner: true,
      actor: input.actor,
    },
    deps,
  )
}

/**
 * The owner withdraws a proxy of their unit (active or awaiting approval) before the meeting starts.
 * Throws 404 `not_found`, 403 `not_unit_owner`, 409 `assembly_started`, 409 `proxy_not_active`.
 */
export async function revokeOwnProxy(
  db: Database,
  input: { organizationId: string; assemblyId: string; proxyId: string; ownerPersonIds: readonly string[] },
  deps: ProxyDeps = {},
): Promise<ProxyView> {
  const { organizationId, assemblyId, proxyId } = input
  if (!isUuid(proxyId)) throw notFound('Proxy')
  const view = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    const proxy = await proxyRow(tx, organizationId, assemblyId, proxyId)
    await assertOwns(tx, organizationId, proxy.grantorUnitId, input.ownerPersonIds)
    assertBeforeMeeting(assembly.status)
    if (proxy.status === 'revoked' || proxy.status === 'refused') {
      throw new AppError(409, 'proxy_not_active', 'The proxy is already revoked or was refused')
    }
    await tx
      .update(proxies)
      .set({ status: 'revoked', revokedAt: sql`clock_timestamp()`, revokedReason: 'revoked by the owner' })
      .where(and(eq(proxies.organizationId, organizationId), eq(proxies.id, proxyId)))
    return selectProxy(tx, organizationId, proxyId)
  })
  await announceProxyChange(
    deps,
    { organizationId, assemblyId },
    { type: 'proxy.revoked', proxyId, unitId: view.grantorUnitId },
  )
  return view
}

/**
 * The administrator approves or refuses an owner-filed proxy awaiting approval. Throws 404
 * `not_found`, 409 `assembly_closed`, 409 `proxy_not_pending`, 422 `validation_failed` (reason).
 */
export async function decideProxy(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    proxyId: string
    decision: 'approve' | 'refuse'
    reason?: string | null
    actor: Actor
  },
  deps: ProxyDeps = {},
): Promise<ProxyView> {
  const { organizationId, assemblyId, proxyId } = input
  const reason = optionalText('reason', input.reason, 500) ?? null
  if (!isUuid(proxyId)) throw notFound('Proxy')
  const view = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    if (assembly.status === 'closed' || assembly.status === 'cancelled') {
      throw new AppError(409, 'assembly_closed', `The assembly is ${assembly.status}`)
    }
    const proxy = await proxyRow(tx, organizationId, assemblyId, proxyId)
    if (proxy.status !== 'pending') {
      throw new AppError(409, 'proxy_not_pending', `The proxy is ${proxy.status}, not awaiting approval`)
    }
    const approve = input.decision === 'approve'
    await tx
      .update(proxies)
      .set({
        status: approve ? 'active' : 'refused',
        decidedAt: sql`clock_timestamp()`,
        decidedByUserId: input.actor.userId,
        revokedReason: approve ? null : reason,
      })
      .where(and(eq(proxies.organizationId, organizationId), eq(proxies.id, proxyId)))
    return selectProxy(tx, organizationId, proxyId)
  })
  await announceProxyChange(
    deps,
    { organizationId, assemblyId },
    {
      type: view.status === 'active' ? 'proxy.registered' : 'proxy.refused',
      proxyId,
      unitId: view.grantorUnitId,
    },
  )
  return view
}

/** The PH's rules for owner-filed proxies. */
export async function settingsOf(tx: Database, organizationId: string): Promise<OwnerProxySettings> {
  const [row] = await tx
    .select({
      ownerProxiesNeedApproval: organizations.ownerProxiesNeedApproval,
      ownerProxyDeadlineHours: organizations.ownerProxyDeadlineHours,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
  if (!row) throw notFound('Organization')
  return row
}

function assertBeforeMeeting(status: string): void {
  if (status !== 'draft' && status !== 'convened') {
    throw new AppError(
      409,
      'assembly_started',
      `The assembly is ${status}: owners file or withdraw proxies only before it starts`,
    )
  }
}

async function assertOwns(
  tx: Database,
  organizationId: string,
  unitId: string,
  personIds: readonly string[],
): Promise<void> {
  if (!isUuid(unitId)) throw notFound('Unit')
  const owned =
    personIds.length === 0
      ? []
      : await tx
          .select({ id: ownerships.id })
          .from(ownerships)
          .where(
            and(
              eq(ownerships.organizationId, organizationId),
              eq(ownerships.unitId, unitId),
              inArray(ownerships.personId, [...personIds]),
            ),
          )
          .limit(1)
  if (owned.length === 0) {
    throw new AppError(403, 'not_unit_owner', 'You may file or withdraw proxies only for units you own')
  }
}

function normalizeHolder(input: OwnerHolderInput) {
  const values = validatePerson(
    {
      fullName: input.fullName ?? undefined,
      email: input.email ?? null,
      phone: input.phone ?? null,
      documentId: input.documentId ?? null,
    },
    false,
    'holder.',
  )
  if (!values.email && !values.documentId) {
    throw invalidField('holder.email', 'give the holder’s email or cédula (holder.documentId)')
  }
  return values
}

async function findOrCreateHolder(
  tx: Database,
  organizationId: string,
  values: ReturnType<typeof normalizeHolder>,
): Promise<string> {
  const match = values.email
    ? eq(sql`lower(${people.email})`, values.email)
    : eq(sql`upper(${people.documentId})`, values.documentId!.toUpperCase())
  const [existing] = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.organizationId, organizationId), match))
    .orderBy(asc(people.createdAt))
    .limit(1)
  if (existing) return existing.id
  if (!values.fullName) {
    throw invalidField(
      'holder.fullName',
      'nobody in the PH has that email or cédula: give the holder’s full name',
    )
  }
  return (await insertPerson(tx, organizationId, values)).id
}

async function validateInstructions(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  instructions: Record<string, string>,
): Promise<void> {
  const ids = Object.keys(instructions)
  for (const id of ids) {
    if (!isUuid(id)) throw invalidField(`instructions.${id}`, 'is not a motion of this assembly')
  }
  const rows = await tx
    .select({ id: motions.id, options: motions.options, status: motions.status })
    .from(motions)
    .innerJoin(assemblies, eq(assemblies.id, motions.assemblyId))
    .where(
      and(
        eq(motions.organizationId, organizationId),
        eq(motions.assemblyId, assemblyId),
        inArray(motions.id, ids),
      ),
    )
  for (const id of ids) {
    const motion = rows.find((row) => row.id === id)
    if (!motion) throw invalidField(`instructions.${id}`, 'is not a motion of this assembly')
    if (motion.status === 'closed') throw invalidField(`instructions.${id}`, 'the motion is already closed')
    const keys = motion.options.map((option) => option.key)
    if (!keys.includes(instructions[id]!)) {
      throw invalidField(`instructions.${id}`, `must be one of ${keys.join(', ')}`)
    }
  }
}
