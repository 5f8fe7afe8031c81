/**
 * CPU of one process reloading the vote path's facts of a large PH (2,000 units by default), as each
 * kind of change makes it: a full reload (what every change cost before changes said what they
 * touched, and what a roster import still costs), a check-in (only that unit), a membership change
 * (nothing). App CPU of this process only; PostgreSQL's own CPU is not counted (with DATABASE_URL
 * unset the embedded PGlite runs in this process, so its work is counted too).
 * `bun ops/bench/facts-reload.ts [--units 2000] [--rounds 20]`
 */
import { checkIn, checkOut } from '../../core/assemblies/attendance.ts'
import { createAssemblyFixture } from '../../core/assemblies/testing.ts'
import { createTestBus } from '../../core/bus/testing.ts'
import { createChangeNotifier } from '../../core/changes/notifier.ts'
import { systemActor } from '../../core/ph/testing.ts'
import { createVotingFactsCache } from '../../core/votes/facts-cache.ts'
import { createTestDatabase } from '../../db/testing.ts'

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : fallback
}
const unitCount = argument('units', 2000)
const rounds = argument('rounds', 20)

const handle = await createTestDatabase()
const bus = createTestBus()
const changes = createChangeNotifier({ bus })
const coefficient = (100 / unitCount).toFixed(9)
const ph = await createAssemblyFixture(handle.db, {
  units: Array.from({ length: unitCount }, (_, i) => [String(i + 1), coefficient, `Dueño ${i + 1}`] as const),
  status: 'in_progress',
})
const scope = { organizationId: ph.organizationId, assemblyId: ph.assembly.id }

/** CPU µs and wall ms per run of `reload`, after `prepare` (not measured) each round. */
async function measure(prepare: (round: number) => Promise<unknown>, reload: () => Promise<unknown>) {
  let cpu = 0
  let wall = 0
  for (let round = 0; round < rounds; round++) {
    await prepare(round)
    const startCpu = process.cpuUsage()
    const startWall = performance.now()
    await reload()
    const used = process.cpuUsage(startCpu)
    cpu += used.user + used.system
    wall += performance.now() - startWall
  }
  return { cpu_us: Math.round(cpu / rounds), wall_ms: Number((wall / rounds).toFixed(2)) }
}

// Warm up the statements and the JIT once.
await createVotingFactsCache({ db: handle.db, bus }).current(ph.organizationId, ph.assembly.id)

const full = await measure(
  async () => undefined,
  () => createVotingFactsCache({ db: handle.db, bus }).current(ph.organizationId, ph.assembly.id),
)
const cache = createVotingFactsCache({ db: handle.db, bus })
await cache.current(ph.organizationId, ph.assembly.id)
const owner = (round: number) => ph.personIds[`Dueño ${(round % unitCount) + 1}`]!
const checkInReload = await measure(
  (round) =>
    round % 2 === 0
      ? checkIn(
          handle.db,
          { ...scope, personId: owner(round), mode: 'remote', actor: systemActor },
          { changes },
        )
      : checkOut(handle.db, { ...scope, personId: owner(round - 1), actor: systemActor }, { changes }),
  () => cache.current(ph.organizationId, ph.assembly.id),
)
const membershipReload = await measure(
  () => changes.announce({ organizationId: ph.organizationId, kinds: ['membership'] }),
  () => cache.current(ph.organizationId, ph.assembly.id),
)
console.log(
  JSON.stringify({
    units: unitCount,
    rounds,
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite (in process)',
    full_reload: full,
    check_in: checkInReload,
    membership_change: membershipReload,
    reloads: cache.reloads,
  }),
)
await bus.close()
await handle.close()
