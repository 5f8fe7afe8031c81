import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, people } from '../../db/schema/index.ts'
import { AppError } from '../errors.ts'
import { notFound } from '../ph/errors.ts'
import { isUuid } from '../ph/validation.ts'
import { acceptsAttendance, isFinished } from './transitions.ts'
import type { Assembly } from './types.ts'

/**
 * The assembly, locked for the rest of the transaction so that changes to its status, attendance and
 * proxies happen one at a time (the quorum log then follows the real order). Throws 404 `not_found`.
 */
export function lockAssembly(tx: Database, organizationId: string, assemblyId: string): Promise<Assembly> {
  return findAssembly(tx, organizationId, assemblyId, true)
}

/** The assembly, optionally locked (see lockAssembly). Throws 404 `not_found`. */
export async function findAssembly(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  lock = false,
): Promise<Assembly> {
  if (!isUuid(assemblyId)) throw notFound('Assembly')
  const query = tx
    .select()
    .from(assemblies)
    .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
  const [assembly] = lock ? await query.for('no key update') : await query
  if (!assembly) throw notFound('Assembly')
  return assembly
}

/** The id of a person of the PH. Throws 404 `not_found`. */
export async function requirePersonId(
  tx: Database,
  organizationId: string,
  personId: string,
): Promise<string> {
  if (!isUuid(personId)) throw notFound('Person')
  const [person] = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.organizationId, organizationId), eq(people.id, personId)))
  if (!person) throw notFound('Person')
  return person.id
}

/** Throws 409 `assembly_closed` for a closed or cancelled assembly. */
export function assertNotFinished(assembly: Assembly): void {
  if (!isFinished(assembly.status)) return
  throw new AppError(409, 'assembly_closed', `The assembly is ${assembly.status}; it can no longer change`, {
    status: assembly.status,
  })
}

/** Throws 409 unless attendance is being taken (convened, in progress or suspended). */
export function assertAcceptsAttendance(assembly: Assembly): void {
  assertNotFinished(assembly)
  if (acceptsAttendance(assembly.status)) return
  throw new AppError(
    409,
    'assembly_not_open',
    `Attendance opens when the assembly is convened (it is ${assembly.status})`,
    {
      status: assembly.status,
    },
  )
}
