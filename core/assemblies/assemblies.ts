import { and, desc, eq, max } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { isUniqueViolation, notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid } from '../ph/validation.ts'
import { applyArrearsSetting } from '../rules/presets.ts'
import {
  type AssemblyChanges,
  type AssemblyInput,
  type AssemblyValues,
  assertCallOrder,
  validateAssembly,
} from './assembly-input.ts'
import { announceCommitted } from './events.ts'
import { assertNotFinished, lockAssembly } from './guards.ts'
import { rescheduleReminders } from './reminders.ts'
import type { Assembly, AssemblyDeps, AssemblyStatus } from './types.ts'

export type { AssemblyChanges, AssemblyInput } from './assembly-input.ts'

// Once the meeting has started, the call and its rule are history: changing them would rewrite the acta.
const FIXED_ONCE_STARTED: ReadonlyArray<keyof AssemblyValues> = [
  'kind',
  'modality',
  'firstCallAt',
  'secondCallAt',
  'quorumRule',
  'convenedBy',
  'convenerPosition',
  'callText',
  'maxProxiesPerHolder',
]

/**
 * Creates a draft assembly with the next acta number of the PH (1, 2, 3…). Throws 404 `not_found`
 * for an unknown PH and 422 `validation_failed` (a bad field, an unknown quorum preset, a malformed
 * custom rule, a second call not after the first).
 */
export async function createAssembly(
  db: Database,
  input: { organizationId: string; assembly: AssemblyInput; actor: Actor },
): Promise<Assembly> {
  const { organizationId } = input
  const values = validateAssembly(input.assembly, true)
  assertCallOrder(values.firstCallAt!, values.secondCallAt ?? null)
  return withTenant(db, organizationId, async (tx) => {
    // Locking the PH makes numbering sequential even when two assemblies are created at once.
    const [organization] = await tx
      .select({ id: organizations.id, arrearsVoting: organizations.arrearsVoting })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for('no key update')
    if (!organization) throw notFound('Organization')
    const [last] = await tx
      .select({ number: max(assemblies.number) })
      .from(assemblies)
      .where(eq(assemblies.organizationId, organizationId))
    try {
      const [created] = await tx
        .insert(assemblies)
        .values({
          ...values,
          organizationId,
          number: (last?.number ?? 0) + 1,
          title: values.title!,
          kind: values.kind!,
          modality: values.modality!,
          firstCallAt: values.firstCallAt!,
          quorumRule: applyArrearsSetting(values.quorumRule!, organization.arrearsVoting),
        })
        .returning()
      return created!
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError(409, 'already_exists', 'The acta number is taken', { field: 'number' })
      throw error
    }
  })
}

/** The assembly, or null. */
export async function getAssembly(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<Assembly | null> {
  if (!isUuid(input.assemblyId)) return null
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .select()
      .from(assemblies)
      .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
    return row ?? null
  })
}

/** Assemblies of the PH, newest acta first, optionally of one status. */
export async function listAssemblies(
  db: Database,
  input: { organizationId: string; status?: AssemblyStatus },
): Promise<Assembly[]> {
  return withTenant(db, input.organizationId, (tx) =>
    tx
      .select()
      .from(assemblies)
      .where(
        and(
          eq(assemblies.organizationId, input.organizationId),
          input.status ? eq(assemblies.status, input.status) : undefined,
        ),
      )
      .orderBy(desc(assemblies.number)),
  )
}

/**
 * Changes the given fields (undefined = unchanged, null = cleared). Throws 404 `not_found`,
 * 422 `validation_failed`, 409 `assembly_closed` for a closed or cancelled assembly, and
 * 409 `assembly_started` (details.fields) for call fields once the meeting has started.
 */
export async function updateAssembly(
  db: Database,
  input: { organizationId: string; assemblyId: string; changes: AssemblyChanges; actor: Actor },
  deps: AssemblyDeps = {},
): Promise<Assembly> {
  const { organizationId, assemblyId } = input
  const values = validateAssembly(input.changes, false)
  const saved = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertNotFinished(assembly)
    const started = assembly.status === 'in_progress' || assembly.status === 'suspended'
    const fixed = started ? FIXED_ONCE_STARTED.filter((field) => values[field] !== undefined) : []
    if (fixed.length > 0) {
      throw new AppError(
        409,
        'assembly_started',
        `The meeting has started; ${fixed.join(', ')} can no longer change`,
        {
          fields: fixed,
        },
      )
    }
    const firstCallAt = values.firstCallAt ?? assembly.firstCallAt
    const secondCallAt = values.secondCallAt === undefined ? assembly.secondCallAt : values.secondCallAt
    assertCallOrder(firstCallAt, secondCallAt)
    if (Object.keys(values).length === 0) return assembly
    if (values.quorumRule)
      values.quorumRule = applyArrearsSetting(values.quorumRule, await arrearsOf(tx, organizationId))
    const [updated] = await tx
      .update(assemblies)
      .set(values)
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
      .returning()
    if (values.firstCallAt && updated!.status === 'convened') await rescheduleReminders(tx, updated!)
    return updated!
  })
  await announceCommitted(deps, { organizationId, assemblyId, kinds: ['assembly'] })
  return saved
}

async function arrearsOf(tx: Database, organizationId: string): Promise<string> {
  const [row] = await tx
    .select({ arrearsVoting: organizations.arrearsVoting })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
  return row?.arrearsVoting ?? 'voice_no_vote'
}
