import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { ownerships, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { ChangeNotifier } from '../changes/notifier.ts'
import type { Change } from '../changes/versions.ts'
import { importUnits } from '../ph/csv-import.ts'
import { updateOrganization } from '../ph/organizations.ts'
import { createTestOrganization, systemActor } from '../ph/testing.ts'
import { addAgendaItem } from './agenda.ts'
import { type AssemblyInput, createAssembly } from './assemblies.ts'
import { checkIn } from './attendance.ts'
import { assemblyTopic } from './events.ts'
import { conveneAssembly, startAssembly } from './lifecycle.ts'
import type { Assembly } from './types.ts'

export { appDatabaseForTests, appErrorOf, createAppTestDatabase, systemActor } from '../ph/testing.ts'

/** One unit of a fixture PH: number, coefficient (percent text), owner name, up to date (default yes). */
export type FixtureUnit = [number: string, coefficient: string, owner: string, upToDate?: boolean]

export interface AssemblyFixture {
  organizationId: string
  assembly: Assembly
  /** Unit id by unit number. */
  unitIds: Record<string, string>
  /** Person id of the representative owner, by owner name. */
  personIds: Record<string, string>
}

const HOUR = 3_600_000

/** Assembly fields that make a valid mixed assembly whose first and second call have already passed. */
export function assemblyInput(changes: Partial<AssemblyInput> = {}): AssemblyInput {
  return {
    title: 'Asamblea Ordinaria 2026',
    kind: 'ordinary',
    modality: 'mixed',
    location: 'Salón de eventos',
    meetingUrl: 'https://meet.example.com/ph',
    firstCallAt: new Date(Date.now() - 2 * HOUR),
    secondCallAt: new Date(Date.now() - HOUR),
    quorumRule: 'bylaws-coefficient-any-present',
    convenedBy: 'Junta Directiva',
    convenerPosition: 'Presidente de la Junta Directiva',
    callText: 'Se convoca a los propietarios a la asamblea ordinaria.',
    ...changes,
  }
}

/** A draft assembly of a new PH, its first call `days` from now and the second an hour later. */
export async function createDraftAssembly(
  db: Database,
  days: number,
  changes: Partial<AssemblyInput> = {},
): Promise<Assembly> {
  const organizationId = (await createTestOrganization(db)).id
  const firstCallAt = new Date(Date.now() + days * 24 * HOUR)
  return createAssembly(db, {
    organizationId,
    assembly: assemblyInput({
      firstCallAt,
      secondCallAt: new Date(firstCallAt.getTime() + HOUR),
      ...changes,
    }),
    actor: systemActor,
  })
}

/**
 * A PH whose roster is imported from the given units (each owner becomes the representative of their
 * units) and one assembly in the requested status, built through the real services.
 */
export async function createAssemblyFixture(
  db: Database,
  options: {
    units: readonly FixtureUnit[]
    assembly?: Partial<AssemblyInput>
    status?: 'draft' | 'convened' | 'in_progress'
    /** Agenda items added before convening (a notice needs at least one; default one item). */
    agenda?: readonly string[]
    /** The PH's arrears setting (the product's default, 'voice_no_vote', when absent). */
    arrearsVoting?: 'voice_no_vote' | 'full_vote'
  },
): Promise<AssemblyFixture> {
  const organizationId = (await createTestOrganization(db)).id
  if (options.arrearsVoting)
    await updateOrganization(db, {
      organizationId,
      changes: { arrearsVoting: options.arrearsVoting },
      actor: systemActor,
    })
  const csv = [
    'unidad;coeficiente;propietario;al_dia',
    ...options.units.map(
      ([number, coefficient, owner, upToDate = true]) =>
        `${number};${coefficient};${owner};${upToDate ? 'sí' : 'no'}`,
    ),
  ].join('\n')
  await importUnits(db, { organizationId, csv, actor: systemActor })
  let assembly = await createAssembly(db, {
    organizationId,
    assembly: assemblyInput(options.assembly),
    actor: systemActor,
  })
  const status = options.status ?? 'convened'
  if (status !== 'draft') {
    for (const title of options.agenda ?? ['Informe de la administración'])
      await addAgendaItem(db, {
        organizationId,
        assemblyId: assembly.id,
        item: { title },
        actor: systemActor,
      })
    // The fixture's call times are in the past, outside any notice window: convene with a reason.
    assembly = (
      await conveneAssembly(db, {
        organizationId,
        assemblyId: assembly.id,
        actor: systemActor,
        windowOverrideReason: 'Fixture: call times in the past',
      })
    ).assembly
  }
  if (status === 'in_progress')
    assembly = (await startAssembly(db, { organizationId, assemblyId: assembly.id, actor: systemActor }))
      .assembly
  const rows = await withTenant(db, organizationId, (tx) =>
    tx
      .select({ unitId: units.id, number: units.number, personId: people.id, fullName: people.fullName })
      .from(units)
      .innerJoin(ownerships, and(eq(ownerships.unitId, units.id), eq(ownerships.isRepresentative, true)))
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(eq(units.organizationId, organizationId)),
  )
  return {
    organizationId,
    assembly,
    unitIds: Object.fromEntries(rows.map((row) => [row.number, row.unitId])),
    personIds: Object.fromEntries(rows.map((row) => [row.fullName, row.personId])),
  }
}

/**
 * A recorder for the side channels: every published message, every announced change (kept apart:
 * tests of messages read `messages`) and proxy notification.
 */
/** Checks each owner in, in person, for the one unit named with them: `[unit number, owner name]` pairs. */
export async function checkInOwners(
  db: Database,
  fixture: AssemblyFixture,
  pairs: readonly (readonly [unit: string, owner: string])[],
) {
  for (const [unit, owner] of pairs)
    await checkIn(db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      unitIds: [fixture.unitIds[unit]!],
      personId: fixture.personIds[owner]!,
      mode: 'in_person',
      actor: systemActor,
    })
}

export function createRecorder() {
  const messages: Array<{ topic: string; message: { type: string } & Record<string, unknown> }> = []
  const announced: Change[] = []
  const revoked: Array<import('./types.ts').ProxyRevokedEvent> = []
  const changes: ChangeNotifier = {
    announce: async (change) => {
      announced.push(change)
    },
    publish: async (assemblyId, message) => {
      // Through JSON, as the bus carries it (dates become strings).
      messages.push({
        topic: assemblyTopic(assemblyId),
        message: JSON.parse(JSON.stringify({ assemblyId, ...message })),
      })
    },
  }
  return {
    messages,
    announced,
    revoked,
    deps: {
      changes,
      onProxyRevoked: (event: import('./types.ts').ProxyRevokedEvent) => {
        revoked.push(event)
      },
    },
  }
}
