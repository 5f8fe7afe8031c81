import { count, eq } from 'drizzle-orm'
import { formatCoefficient } from '../core/decimal.ts'
import { distributeCoefficients } from '../core/rules/coefficients.ts'
import { applyArrearsSetting, getMajorityPreset, getQuorumPreset } from '../core/rules/presets.ts'
import type { MotionOption } from '../core/rules/types.ts'
import type { Database } from './client.ts'
import {
  agendaItems,
  assemblies,
  memberships,
  motions,
  organizations,
  ownerships,
  people,
  proxies,
  units,
  users,
} from './schema/index.ts'
import { withPlatformScope } from './tenant.ts'

export const DEMO_SLUG = 'torre-pacifica'
/** Demo sign-ins (codes go to the dev mailbox when no SMTP is configured). */
export const DEMO_ADMIN_EMAIL = 'admin@torre-pacifica.example'
export const DEMO_DESK_EMAIL = 'mesa@torre-pacifica.example'

const firstNames = [
  'María',
  'José',
  'Ana',
  'Carlos',
  'Luisa',
  'Jorge',
  'Carmen',
  'Ricardo',
  'Elena',
  'Fernando',
]
const lastNames = [
  'González',
  'Rodríguez',
  'Pérez',
  'Herrera',
  'Castillo',
  'Moreno',
  'Vargas',
  'Quintero',
  'Batista',
]

const yesNoAbstain: MotionOption[] = [
  { key: 'yes', label: 'Sí', kind: 'yes' },
  { key: 'no', label: 'No', kind: 'no' },
  { key: 'abstain', label: 'Abstención', kind: 'abstain' },
]

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`seed: missing ${what}`)
  return value
}

/**
 * The demo PH: 30 floors × 4 units (120) of three sizes whose coefficients sum to exactly 100,
 * one owner per unit (two co-owned), some units behind on fees, two proxies, and a convened
 * ordinary assembly with 4 agenda items and 3 motions. By default only into an empty database;
 * with `onlyIntoEmpty: false`, whenever no PH has the slug (tests use it for a second tenant).
 * Returns false when it seeded nothing.
 */
export async function seedDemo(
  db: Database,
  options: {
    slug?: string
    name?: string
    onlyIntoEmpty?: boolean
    adminEmail?: string
    deskEmail?: string
  } = {},
): Promise<boolean> {
  const slug = options.slug ?? DEMO_SLUG
  const [existing] = await db
    .select({ n: count() })
    .from(organizations)
    .where(options.onlyIntoEmpty === false ? eq(organizations.slug, slug) : undefined)
  if ((existing?.n ?? 0) > 0) return false

  return withPlatformScope(db, async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({
        slug,
        name: options.name ?? 'PH Torre Pacífica',
        legalName: 'Propiedad Horizontal Torre Pacífica',
        registryNumber: 'Folio 30412-PH',
        address: 'Avenida Balboa, Ciudad de Panamá',
      })
      .returning()
    const organizationId = org!.id

    // Three unit types per floor: A and D are 3-bedroom (120 m²), B is 2-bedroom (95 m²), C is a studio (60 m²).
    const layout = [
      ['A', 120],
      ['B', 95],
      ['C', 60],
      ['D', 120],
    ] as const
    const plan = Array.from({ length: 30 }, (_, floor) =>
      layout.map(([letter, area]) => ({ number: `${floor + 1}${letter}`, area })),
    ).flat()
    const coefficients = distributeCoefficients(plan.map((unit) => unit.area))
    const unitRows = await tx
      .insert(units)
      .values(
        plan.map((unit, i) => ({
          organizationId,
          number: unit.number,
          finca: `${30412 + i}`,
          coefficient: formatCoefficient(coefficients[i]!),
          // Roughly one unit in eight is behind on common expenses.
          upToDate: i % 8 !== 5,
        })),
      )
      .returning({ id: units.id, number: units.number })

    const personRows = await tx
      .insert(people)
      .values(
        unitRows.map((unit, i) => ({
          organizationId,
          fullName: `${firstNames[i % firstNames.length]} ${lastNames[(i * 7) % lastNames.length]}`,
          email: `propietario.${unit.number.toLowerCase()}@example.com`,
          phone: `+507 6${String(1000000 + i * 7919).slice(-7)}`,
        })),
      )
      .returning({ id: people.id })
    await tx.insert(ownerships).values(
      unitRows.map((unit, i) => ({
        organizationId,
        unitId: unit.id,
        personId: personRows[i]!.id,
        isRepresentative: true,
      })),
    )
    // Two co-owned units: the second owner is not the representative.
    const coOwners = await tx
      .insert(people)
      .values([
        { organizationId, fullName: 'Roberto Herrera', email: 'roberto.herrera@example.com' },
        { organizationId, fullName: 'Isabel Castillo', email: 'isabel.castillo@example.com' },
      ])
      .returning({ id: people.id })
    await tx.insert(ownerships).values([
      { organizationId, unitId: unitRows[0]!.id, personId: coOwners[0]!.id, isRepresentative: false },
      { organizationId, unitId: unitRows[1]!.id, personId: coOwners[1]!.id, isRepresentative: false },
    ])

    const now = Date.now()
    const [assembly] = await tx
      .insert(assemblies)
      .values({
        organizationId,
        number: 1,
        title: 'Asamblea Ordinaria Anual 2026',
        kind: 'ordinary',
        modality: 'mixed',
        location: 'Salón de eventos, planta baja',
        firstCallAt: new Date(now + 7 * 86_400_000),
        secondCallAt: new Date(now + 7 * 86_400_000 + 3_600_000),
        status: 'convened',
        quorumRule: withArrears(required(getQuorumPreset('ley284-owners-any-present'), 'quorum preset')),
        convenedBy: 'Junta Directiva',
        callText:
          'Se convoca a los propietarios a la Asamblea Ordinaria Anual conforme a la Ley 284 de 2022.',
        maxProxiesPerHolder: 5,
      })
      .returning()
    const assemblyId = assembly!.id

    const items = await tx
      .insert(agendaItems)
      .values(
        [
          'Verificación del quórum y elección de presidente y secretario',
          'Informe de la administración y estados financieros 2025',
          'Presupuesto 2026 y cuota de mantenimiento',
          'Cuota extraordinaria para impermeabilización de la azotea',
        ].map((title, i) => ({ organizationId, assemblyId, position: i + 1, title })),
      )
      .returning({ id: agendaItems.id })

    await tx.insert(motions).values([
      {
        organizationId,
        assemblyId,
        agendaItemId: items[1]!.id,
        position: 1,
        title: 'Aprobar los estados financieros 2025',
        options: yesNoAbstain,
        majorityRule: withArrears(required(getMajorityPreset('simple'), 'majority preset simple')),
      },
      {
        organizationId,
        assemblyId,
        agendaItemId: items[2]!.id,
        position: 2,
        title: 'Aprobar el presupuesto 2026',
        options: yesNoAbstain,
        majorityRule: withArrears(required(getMajorityPreset('absolute'), 'majority preset absolute')),
      },
      {
        organizationId,
        assemblyId,
        agendaItemId: items[3]!.id,
        position: 3,
        title: 'Aprobar una cuota extraordinaria de B/. 350 por unidad',
        options: yesNoAbstain,
        secret: true,
        majorityRule: withArrears(
          required(getMajorityPreset('ley284-art35-first-call'), 'majority preset art. 35'),
        ),
      },
    ])

    // Two proxies: one to another owner, one to a non-owner.
    const [nonOwner] = await tx
      .insert(people)
      .values({ organizationId, fullName: 'Licda. Patricia Arosemena', email: 'apoderada@example.com' })
      .returning({ id: people.id })
    await tx.insert(proxies).values([
      { organizationId, assemblyId, grantorUnitId: unitRows[10]!.id, holderPersonId: personRows[11]!.id },
      { organizationId, assemblyId, grantorUnitId: unitRows[20]!.id, holderPersonId: nonOwner!.id },
    ])
    // Accounts to try the demo with: the operator (also the PH's administrator) and the check-in desk.
    const demoUsers = await tx
      .insert(users)
      .values([
        {
          email: options.adminEmail ?? DEMO_ADMIN_EMAIL,
          displayName: 'Administración Torre Pacífica',
          isPlatformAdmin: true,
        },
        { email: options.deskEmail ?? DEMO_DESK_EMAIL, displayName: 'Mesa de registro' },
      ])
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email })
    for (const user of demoUsers) {
      const role = user.email === (options.deskEmail ?? DEMO_DESK_EMAIL) ? 'checkin_staff' : 'ph_admin'
      await tx.insert(memberships).values({ userId: user.id, organizationId, role })
    }
    return true
  })
}

if (import.meta.main) {
  const { loadConfigOrExit } = await import('../core/config.ts')
  const { openDatabase } = await import('./client.ts')
  const { join } = await import('node:path')
  const config = loadConfigOrExit()
  const handle = await openDatabase({ url: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') })
  await handle.migrate()
  const created = await seedDemo(handle.db)
  console.log(created ? 'Seeded the demo PH.' : 'The database already has data; nothing seeded.')
  await handle.close()
}

// The seeded PH keeps the default arrears setting: units in arrears have voice but no vote.
function withArrears<R extends { eligibleOnly: boolean; countArrears?: boolean }>(rule: R): R {
  return applyArrearsSetting(rule, 'voice_no_vote')
}
