import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { people } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { closeAssembly } from '../assemblies/lifecycle.ts'
import { createAssemblyFixture, type FixtureUnit, systemActor } from '../assemblies/testing.ts'
import { type SmtpSink, startSmtpSink } from '../mail/smtp-sink.ts'
import { createTestServices } from '../services-testing.ts'
import { sendSummary } from './decisions.ts'
import { listCommunications } from './report.ts'

/*
 * The summary of the decisions to 1,000 units through a real SMTP conversation (the local sink): every
 * unit is reached and recorded. The time is printed, not asserted (it depends on the machine).
 */

const UNITS = 1000
let sink: SmtpSink
let services: Awaited<ReturnType<typeof createTestServices>>

beforeAll(async () => {
  sink = startSmtpSink()
  services = await createTestServices({ SMTP_URL: sink.url })
}, 60_000)
afterAll(async () => {
  await services.close()
  services.mailer.close()
  sink.stop()
})

describe('the summary to a large PH', () => {
  it(`reaches ${UNITS} units through the SMTP sink, one record per unit`, async () => {
    // 1,000 units of 0.1 % each, one owner each.
    const units = Array.from(
      { length: UNITS },
      (_, i): FixtureUnit => [`U${i + 1}`, '0.1', `Propietario ${i + 1}`],
    )
    const fixture = await createAssemblyFixture(services.db, { units, status: 'in_progress' })
    const { organizationId } = fixture
    await withPlatformScope(services.db, (tx) =>
      tx
        .update(people)
        .set({ email: sql`'owner-' || ${people.id} || '@example.com'` })
        .where(eq(people.organizationId, organizationId)),
    )
    await closeAssembly(services.db, { organizationId, assemblyId: fixture.assembly.id, actor: systemActor })
    const before = sink.messages.length
    const started = performance.now()
    const sending = await sendSummary(
      { db: services.db, mailer: services.mailer, bus: services.bus },
      { organizationId, assemblyId: fixture.assembly.id, trigger: 'admin', publicUrl: 'https://x.example' },
    )
    await sending!.done
    const seconds = (performance.now() - started) / 1000
    console.log(`summary of decisions to ${UNITS} units through the local SMTP sink: ${seconds.toFixed(1)} s`)
    expect(sink.messages.length - before).toBe(UNITS)
    const [summary] = await listCommunications(services.db, {
      organizationId,
      assemblyId: fixture.assembly.id,
    })
    expect(summary!.units).toEqual({ total: UNITS, reached: UNITS, pending: 0, failed: 0, no_contact: 0 })
  }, 600_000)
})
