import { and, asc, count, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { invalidField, isUniqueViolation, notFound } from '../ph/errors.ts'
import { insertPerson, type PersonInput, validatePerson } from '../ph/people.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid, optionalText } from '../ph/validation.ts'
import { announceCommitted, announceProxyChange, notifyRevokedProxies, publishToAssembly } from './events.ts'
import { assertNotFinished, findAssembly, lockAssembly, requirePersonId } from './guards.ts'
import { isPresent } from './presence.ts'
import { activeProxies, revokeProxiesInTransaction } from './proxy-revocation.ts'
import { type LiveQuorum, quorumMessage, recordQuorum } from './quorum.ts'
import { type DocumentStorage, newDocumentKey } from './storage.ts'
import { acceptsAttendance } from './transitions.ts'
import type { AssemblyDeps } from './types.ts'

/** A proxy with the names the desk and the acta need. */
export interface ProxyView {
  id: string
  assemblyId: string
  grantorUnitId: string
  unitNumber: string
  holderPersonId: string
  holderName: string
  holderEmail: string | null
  /** Storage key of the signed document, or null. */
  documentPath: string | null
  validFrom: Date | null
  validUntil: Date | null
  status: 'active' | 'revoked' | 'pending' | 'refused'
  /** Directed proxy: option key by motion id. */
  instructions: Record<string, string> | null
  filedByOwner: boolean
  revokedAt: Date | null
  revokedReason: string | null
  createdAt: Date
}

/** An existing person of the PH, or a new one (matched by email to an existing person when possible). */
export type HolderInput = { personId: string } | { person: PersonInput }

export interface RegisterProxyInput {
  organizationId: string
  assemblyId: string
  grantorUnitId: string
  holder: HolderInput
  /** The signed proxy (PDF or photo); stored through `deps.storage`. */
  document?: { bytes: Uint8Array; contentType?: string } | null
  validFrom?: Date | null
  validUntil?: Date | null
  /** 'pending' for an owner-filed proxy awaiting the administrator's approval. */
  status?: 'active' | 'pending'
  instructions?: Record<string, string> | null
  filedByOwner?: boolean
  actor: Actor
}

export interface ProxyDeps extends AssemblyDeps {
  storage?: DocumentStorage
}

const proxyColumns = {
  id: proxies.id,
  assemblyId: proxies.assemblyId,
  grantorUnitId: proxies.grantorUnitId,
  unitNumber: units.number,
  holderPersonId: proxies.holderPersonId,
  holderName: people.fullName,
  holderEmail: people.email,
  documentPath: proxies.documentPath,
  validFrom: proxies.validFrom,
  validUntil: proxies.validUntil,
  // Proxies refused before the 'refused' status existed were stored revoked and decided (see the schema).
  status: sql<
    ProxyView['status']
  >`case when ${proxies.status} = 'revoked' and ${proxies.decidedAt} is not null and ${proxies.revokedAt} is null then 'refused' else ${proxies.status}::text end`,
  instructions: proxies.instructions,
  filedByOwner: proxies.filedByOwner,
  revokedAt: proxies.revokedAt,
  revokedReason: proxies.revokedReason,
  createdAt: proxies.createdAt,
}

/**
 * Registers a proxy (poder) of a unit for an assembly. Throws 404 `not_found` (assembly, unit,
 * person), 422 `validation_failed`, 409 `assembly_closed`, 422 `holder_owns_unit` (an owner cannot
 * hold a proxy for their own unit), 409 `unit_present` (the unit is already checked in),
 * 409 `proxy_exists` (one active proxy per unit), 409 `proxy_cap_reached` (`maxProxiesPerHolder`).
 */
export async function registerProxy(
  db: Database,
  input: RegisterProxyInput,
  deps: ProxyDeps = {},
): Promise<ProxyView> {
  const { organizationId, assemblyId, grantorUnitId } = input
  const validFrom = input.validFrom ?? null
  const validUntil = input.validUntil ?? null
  if (validFrom && validUntil && validUntil.getTime() <= validFrom.getTime()) {
    throw invalidField('validUntil', 'must be after validFrom')
  }
  const inlineHolder = 'person' in input.holder ? validatePerson(input.holder.person, true, 'holder.') : null
  if (input.document && !deps.storage) throw new Error('registerProxy: a document was given but no storage')
  let storedKey: string | null = null
  try {
    const view = await withTenant(db, organizationId, async (tx) => {
      const assembly = await lockAssembly(tx, organizationId, assemblyId)
      assertNotFinished(assembly)
      const unit = await findUnit(tx, organizationId, grantorUnitId)
      const holderId =
        'personId' in input.holder
          ? await requirePersonId(tx, organizationId, input.holder.personId)
          : await findOrCreateHolder(tx, organizationId, inlineHolder!)
      await assertCanHold(tx, {
        organizationId,
        assemblyId,
        unitId: unit.id,
        unitNumber: unit.number,
        holderId,
      })
      if (assembly.maxProxiesPerHolder !== null) {
        const [held] = await tx
          .select({ n: count() })
          .from(proxies)
          .where(activeProxies(organizationId, assemblyId, eq(proxies.holderPersonId, holderId)))
        if ((held?.n ?? 0) >= assembly.maxProxiesPerHolder) {
          throw new AppError(
            409,
            'proxy_cap_reached',
            `The holder already represents ${held?.n} units by proxy`,
            {
              cap: assembly.maxProxiesPerHolder,
              held: held?.n,
            },
          )
        }
      }
      if (input.document) {
        storedKey = newDocumentKey(organizationId)
        await deps.storage!.put(storedKey, input.document.bytes, input.document.contentType)
      }
      const [created] = await tx
        .insert(proxies)
        .values({
          organizationId,
          assemblyId,
          grantorUnitId: unit.id,
          holderPersonId: holderId,
          documentPath: storedKey,
          validFrom,
          validUntil,
          status: input.status ?? 'active',
          instructions: input.instructions ?? null,
          filedByOwner: input.filedByOwner ?? false,
          createdByUserId: input.actor.userId,
        })
        .returning({ id: proxies.id })
      return selectProxy(tx, organizationId, created!.id)
    })
    await announceProxyChange(
      deps,
      { organizationId, assemblyId },
      {
        type: view.status === 'pending' ? 'proxy.pending' : 'proxy.registered',
        proxyId: view.id,
        unitId: view.grantorUnitId,
      },
    )
    return view
  } catch (error) {
    // The document must not outlive a proxy that was never stored.
    if (storedKey) await deps.storage?.delete(storedKey).catch(() => undefined)
    if (isUniqueViolation(error, 'proxies_one_active_per_unit')) {
      throw new AppError(409, 'proxy_exists', 'The unit already has an active proxy for this assembly')
    }
    throw error
  }
}

/**
 * Revokes an active proxy; if the holder was checked in for the unit, that attendance ends and the
 * quorum is recorded. The holder is told through `deps.onProxyRevoked`. Throws 404 `not_found`,
 * 409 `assembly_closed`, 409 `proxy_not_active`.
 */
export async function revokeProxy(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    proxyId: string
    reason?: string | null
    actor: Actor
  },
  deps: AssemblyDeps = {},
): Promise<{ proxy: ProxyView; quorum: LiveQuorum | null }> {
  const { organizationId, assemblyId, proxyId } = input
  const reason = optionalText('reason', input.reason, 500) ?? 'revoked'
  if (!isUuid(proxyId)) throw notFound('Proxy')
  const result = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertNotFinished(assembly)
    const proxy = await proxyRow(tx, organizationId, assemblyId, proxyId)
    if (proxy.status !== 'active') throw new AppError(409, 'proxy_not_active', 'The proxy is already revoked')
    const events = await revokeProxiesInTransaction(tx, organizationId, assemblyId, [proxyId], reason)
    const quorum = acceptsAttendance(assembly.status)
      ? await recordQuorum(tx, organizationId, assembly)
      : null
    return { proxy: await selectProxy(tx, organizationId, proxyId), events, quorum }
  })
  // The holder's attendance for the unit ends with the proxy.
  await announceCommitted(deps, {
    organizationId,
    assemblyId,
    kinds: ['proxy', 'attendance'],
    unitIds: [result.proxy.grantorUnitId],
  })
  await notifyRevokedProxies(deps, result.events)
  if (result.quorum) await publishToAssembly(deps, assemblyId, quorumMessage(result.quorum))
  return { proxy: result.proxy, quorum: result.quorum }
}

/** Proxies of an assembly by unit number, optionally only active ones or one holder's. Throws 404. */
export async function listProxies(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    status?: 'active' | 'revoked' | 'pending'
    holderPersonId?: string
  },
): Promise<ProxyView[]> {
  const { organizationId, assemblyId } = input
  if (input.holderPersonId !== undefined && !isUuid(input.holderPersonId)) return []
  return withTenant(db, organizationId, async (tx) => {
    await findAssembly(tx, organizationId, assemblyId)
    return proxyQuery(tx)
      .where(
        and(
          eq(proxies.organizationId, organizationId),
          eq(proxies.assemblyId, assemblyId),
          input.status ? eq(proxies.status, input.status) : undefined,
          input.holderPersonId ? eq(proxies.holderPersonId, input.holderPersonId) : undefined,
        ),
      )
      .orderBy(asc(units.number), asc(proxies.createdAt))
  })
}

/** The signed document of a proxy, or null when it has none. Throws 404 `not_found` for an unknown proxy. */
export async function getProxyDocument(
  db: Database,
  input: { organizationId: string; proxyId: string; assemblyId?: string },
  deps: { storage: DocumentStorage },
): Promise<Uint8Array | null> {
  if (!isUuid(input.proxyId)) throw notFound('Proxy')
  const path = await withTenant(db, input.organizationId, async (tx) => {
    const scope = [eq(proxies.organizationId, input.organizationId), eq(proxies.id, input.proxyId)]
    if (input.assemblyId) scope.push(eq(proxies.assemblyId, input.assemblyId))
    const [row] = await tx
      .select({ documentPath: proxies.documentPath })
      .from(proxies)
      .where(and(...scope))
    if (!row) throw notFound('Proxy')
    return row.documentPath
  })
  return path ? deps.storage.get(path) : null
}

function proxyQuery(tx: Database) {
  return tx
    .select(proxyColumns)
    .from(proxies)
    .innerJoin(units, eq(units.id, proxies.grantorUnitId))
    .innerJoin(people, eq(people.id, proxies.holderPersonId))
}

export async function selectProxy(tx: Database, organizationId: string, proxyId: string): Promise<ProxyView> {
  const [view] = await proxyQuery(tx).where(
    and(eq(proxies.organizationId, organizationId), eq(proxies.id, proxyId)),
  )
  if (!view) throw notFound('Proxy')
  return view
}

async function findUnit(tx: Database, organizationId: string, unitId: string) {
  if (!isUuid(unitId)) throw notFound('Unit')
  const [unit] = await tx
    .select({ id: units.id, number: units.number })
    .from(units)
    .where(and(eq(units.organizationId, organizationId), eq(units.id, unitId)))
  if (!unit) throw notFound('Unit')
  return unit
}

async function findOrCreateHolder(
  tx: Database,
  organizationId: string,
  values: ReturnType<typeof validatePerson>,
): Promise<string> {
  if (values.email) {
    const [existing] = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.organizationId, organizationId), eq(sql`lower(${people.email})`, values.email)))
      .orderBy(asc(people.createdAt))
      .limit(1)
    if (existing) return existing.id
  }
  return (await insertPerson(tx, organizationId, values)).id
}

export async function assertCanHold(
  tx: Database,
  target: {
    organizationId: string
    assemblyId: string
    unitId: string
    unitNumber: string
    holderId: string
  },
): Promise<void> {
  const { organizationId, assemblyId, unitId, unitNumber, holderId } = target
  const [owns] = await tx
    .select({ n: count() })
    .from(ownerships)
    .where(
      and(
        eq(ownerships.organizationId, organizationId),
        eq(ownerships.unitId, unitId),
        eq(ownerships.personId, holderId),
      ),
    )
  if ((owns?.n ?? 0) > 0) {
    throw new AppError(
      422,
      'holder_owns_unit',
      `The holder owns unit ${unitNumber}; an owner needs no proxy for it`,
    )
  }
  const [present] = await tx
    .select({ n: count() })
    .from(attendance)
    .where(
      and(
        eq(attendance.organizationId, organizationId),
        eq(attendance.assemblyId, assemblyId),
        eq(attendance.unitId, unitId),
        isPresent,
      ),
    )
  if ((present?.n ?? 0) > 0) {
    throw new AppError(
      409,
      'unit_present',
      `Unit ${unitNumber} is checked in; check it out before giving a proxy`,
    )
  }
  const [existing] = await tx
    .select({ id: proxies.id })
    .from(proxies)
    .where(activeProxies(organizationId, assemblyId, eq(proxies.grantorUnitId, unitId)))
  if (existing) {
    throw new AppError(
      409,
      'proxy_exists',
      `Unit ${unitNumber} already has an active proxy for this assembly`,
      {
        proxyId: existing.id,
      },
    )
  }
}

/** A proxy of this assembly of this PH (id, status, grantor unit). Throws 404 `not_found`. */
export async function proxyRow(tx: Database, organizationId: string, assemblyId: string, proxyId: string) {
  const [proxy] = await tx
    .select({ id: proxies.id, status: proxies.status, grantorUnitId: proxies.grantorUnitId })
    .from(proxies)
    .where(
      and(
        eq(proxies.organizationId, organizationId),
        eq(proxies.assemblyId, assemblyId),
        eq(proxies.id, proxyId),
      ),
    )
  if (!proxy) throw notFound('Proxy')
  return proxy
}
