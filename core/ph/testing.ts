import { afterAll, beforeAll } from 'bun:test'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { AppError } from '../errors.ts'
import { createOrganization } from './organizations.ts'
import { setUnitOwners } from './ownerships.ts'
import { createPerson } from './people.ts'
import type { Actor, Organization } from './types.ts'

/** The actor of test changes: no signed-in user. */
export const systemActor: Actor = { userId: null }

/** A new person becomes the only owner (and the representative) of a unit, as after a sale; returns them. */
export async function handOverUnit(
  db: Database,
  input: { organizationId: string; unitId: string; fullName: string },
) {
  const { organizationId, unitId, fullName } = input
  const person = await createPerson(db, { organizationId, person: { fullName }, actor: systemActor })
  await setUnitOwners(db, {
    organizationId,
    unitId,
    owners: [{ personId: person.id, isRepresentative: true }],
    actor: systemActor,
  })
  return person
}

/** A PH with a unique slug, for tests that need a tenant of their own. */
export async function createTestOrganization(db: Database, name = 'PH Prueba'): Promise<Organization> {
  return createOrganization(db, {
    organization: { name, slug: `test-${crypto.randomUUID().slice(0, 8)}` },
    actor: systemActor,
  })
}

/** The AppError a call throws (sync or async); fails the test when it throws nothing or something else. */
export async function appErrorOf(call: () => unknown): Promise<AppError> {
  try {
    await call()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('Expected an AppError, but the call succeeded')
}

/** A test database used the way the application uses it: as the non-superuser role, under row-level security. */
export function createAppTestDatabase(): Promise<DatabaseHandle> {
  return createTestDatabase({ appRole: 'assembly_app' })
}

/**
 * For a test file: `createAppTestDatabase()` before its tests (ahead of the hooks the file registers
 * after this call), closed after them. Its members exist once it has been created: use them in hooks
 * and tests, not at the file's top level.
 */
export function appDatabaseForTests(): DatabaseHandle {
  const handle = {} as DatabaseHandle
  beforeAll(async () => {
    Object.assign(handle, await createAppTestDatabase())
  })
  afterAll(() => handle.close?.())
  return handle
}
