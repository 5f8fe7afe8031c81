import type { Database } from '../../db/client.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import { computeQuorum } from '../assemblies/quorum.ts'
import { assemblyMotions, listUserOrganizations, visibleAssemblies } from './directory.ts'

/**
 * What a language model may be told about the user's PHs: the public facts of their assemblies
 * (title, dates, place, status, agenda, motions and their state, live quorum). No people, no units,
 * no votes, no meeting links.
 */
export async function publicAssemblyData(db: Database, userId: string) {
  const phs = []
  for (const org of await listUserOrganizations(db, userId)) {
    const assemblies = []
    for (const assembly of await visibleAssemblies(db, org.organizationId, 3)) {
      const scope = { organizationId: org.organizationId, assemblyId: assembly.id }
      const [agenda, motions] = await Promise.all([
        listAgendaItems(db, scope),
        assemblyMotions(db, org.organizationId, assembly.id),
      ])
      const running = assembly.status === 'in_progress' || assembly.status === 'suspended'
      const quorum = running ? await computeQuorum(db, scope) : null
      assemblies.push({
        number: assembly.number,
        title: assembly.title,
        kind: assembly.kind,
        modality: assembly.modality,
        status: assembly.status,
        firstCallAt: assembly.firstCallAt.toISOString(),
        secondCallAt: assembly.secondCallAt?.toISOString() ?? null,
        location: assembly.location,
        agenda: agenda.map((item) => item.title),
        motions: motions.map((motion) => ({ title: motion.title, status: motion.status })),
        quorum: quorum
          ? { call: quorum.call, coefficientPercent: quorum.byCoefficient.percent, reached: quorum.reached }
          : null,
      })
    }
    phs.push({ ph: org.name, timeZone: org.timeZone, assemblies })
  }
  return phs
}
