import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, people, proxies, units } from '../../db/schema/index.ts'
import { isPresent } from './presence.ts'
import type { ProxyRevokedEvent } from './types.ts'

/** Where-clause of the active proxies of an assembly, narrowed by `extra`. */
export function activeProxies(organizationId: string, assemblyId: string, ...extra: (SQL | undefined)[]) {
  return and(
    eq(proxies.organizationId, organizationId),
    eq(proxies.assemblyId, assemblyId),
    eq(proxies.status, 'active'),
    ...extra,
  )
}

/**
 * Revokes the given active proxies of an assembly and ends any attendance taken through them,
 * inside an open tenant transaction. Returns one event per revoked proxy for the holders.
 */
export async function revokeProxiesInTransaction(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  proxyIds: readonly string[],
  reason: string,
): Promise<ProxyRevokedEvent[]> {
  if (proxyIds.length === 0) return []
  const revoked = await tx
    .update(proxies)
    .set({ status: 'revoked', revokedAt: sql`clock_timestamp()`, revokedReason: reason })
    .where(activeProxies(organizationId, assemblyId, inArray(proxies.id, [...proxyIds])))
    .returning({
      id: proxies.id,
      unitId: proxies.grantorUnitId,
      holderId: proxies.holderPersonId,
      at: proxies.revokedAt,
    })
  if (revoked.length === 0) return []
  await tx
    .update(attendance)
    .set({ checkedOutAt: sql`clock_timestamp()` })
    .where(
      and(
        eq(attendance.organizationId, organizationId),
        eq(attendance.assemblyId, assemblyId),
        inArray(
          attendance.proxyId,
          revoked.map((proxy) => proxy.id),
        ),
        isPresent,
      ),
    )
  const details = await tx
    .select({
      proxyId: proxies.id,
      unitNumber: units.number,
      fullName: people.fullName,
      email: people.email,
      phone: people.phone,
    })
    .from(proxies)
    .innerJoin(units, eq(units.id, proxies.grantorUnitId))
    .innerJoin(people, eq(people.id, proxies.holderPersonId))
    .where(
      and(
        eq(proxies.organizationId, organizationId),
        inArray(
          proxies.id,
          revoked.map((proxy) => proxy.id),
        ),
      ),
    )
  const byId = new Map(details.map((detail) => [detail.proxyId, detail]))
  return revoked.map((proxy) => {
    const detail = byId.get(proxy.id)
    return {
      organizationId,
      assemblyId,
      proxyId: proxy.id,
      unitId: proxy.unitId,
      unitNumber: detail?.unitNumber ?? '',
      holder: {
        personId: proxy.holderId,
        fullName: detail?.fullName ?? '',
        email: detail?.email ?? null,
        phone: detail?.phone ?? null,
      },
      reason,
      revokedAt: proxy.at ?? new Date(),
    }
  })
}
