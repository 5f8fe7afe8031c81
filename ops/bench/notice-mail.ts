/**
 * How long the convocatoria takes to reach 1,000 owners (`--owners N` for another size) through the
 * pooled SMTP transport to a local SMTP sink: a PH imported from CSV, an assembly with an agenda, then
 * `sendNotice` timed from the call to the last delivery row. Prints progress and ends with one JSON
 * line of numbers. Runs on PGlite, or on PostgreSQL when DATABASE_URL is set (a database of its own,
 * dropped at the end). The sink answers at once, so this is the platform's own cost per message
 * (rendering, SMTP round trips, the delivery log), not a real relay's.
 *
 *   bun ops/bench/notice-mail.ts [--owners 1000]
 */
import { addAgendaItem, createAssembly } from '../../core/assemblies/index.ts'
import { assemblyInput } from '../../core/assemblies/testing.ts'
import { createMailer } from '../../core/auth/mailer.ts'
import { createMemoryBus } from '../../core/bus/memory.ts'
import { silentLogger } from '../../core/log.ts'
import { sendNotice } from '../../core/mail/notice.ts'
import { startSmtpSink } from '../../core/mail/smtp-sink.ts'
import { createOrganization, importUnits } from '../../core/ph/index.ts'
import { systemActor } from '../../core/ph/testing.ts'
import { createTestDatabase } from '../../db/testing.ts'

const flag = process.argv.indexOf('--owners')
const owners = flag === -1 ? 1000 : Number(process.argv[flag + 1])
if (!Number.isInteger(owners) || owners < 1) throw new Error('--owners must be a whole number ≥ 1')

const sink = startSmtpSink()
const database = await createTestDatabase()
const mailer = createMailer({ smtpUrl: sink.url, from: 'PH Bench <avisos@example.com>' }, silentLogger)
try {
  const { db } = database
  const organization = await createOrganization(db, {
    organization: { name: 'PH Bench', slug: `bench-${crypto.randomUUID().slice(0, 8)}` },
    actor: systemActor,
  })
  const organizationId = organization.id
  // Coefficients in millionths so they sum to exactly 100.
  const millionths = 100_000_000
  const each = Math.floor(millionths / owners)
  const rows = Array.from({ length: owners }, (_, index) => {
    const share = index === 0 ? millionths - each * (owners - 1) : each
    return `${index + 1};${(share / 1_000_000).toFixed(6)};Propietario ${index + 1};owner${index + 1}@bench.example`
  })
  await importUnits(db, {
    organizationId,
    csv: ['unidad;coeficiente;propietario;correo', ...rows].join('\n'),
    actor: systemActor,
  })
  const firstCallAt = new Date(Date.now() + 15 * 86_400_000)
  const assembly = await createAssembly(db, {
    organizationId,
    assembly: assemblyInput({
      title: 'Asamblea Ordinaria',
      firstCallAt,
      secondCallAt: new Date(firstCallAt.getTime() + 3_600_000),
    }),
    actor: systemActor,
  })
  for (const title of ['Verificación del quórum', 'Informe de la administración', 'Presupuesto'])
    await addAgendaItem(db, { organizationId, assemblyId: assembly.id, item: { title }, actor: systemActor })
  console.log(`notice-mail: ${owners} owners imported; sending the notice through ${sink.url}`)

  const started = performance.now()
  // No chat is linked here: the in-process bus only carries what would go to chats.
  const deliveries = await sendNotice(
    { db, mailer, bus: createMemoryBus() },
    { organizationId, assemblyId: assembly.id },
  )
  const elapsedMs = performance.now() - started
  const accepted = deliveries.filter((delivery) => delivery.status === 'accepted').length
  if (sink.messages.length !== owners || accepted !== owners)
    throw new Error(
      `expected ${owners} messages; the sink holds ${sink.messages.length}, ${accepted} accepted`,
    )
  const figures = {
    owners,
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    notice_ms: Math.round(elapsedMs),
    ms_per_owner: Number((elapsedMs / owners).toFixed(2)),
    messages_per_second: Math.round((owners / elapsedMs) * 1000),
  }
  console.log(
    `notice-mail: ${owners} notices accepted in ${(elapsedMs / 1000).toFixed(1)} s (${figures.messages_per_second}/s)`,
  )
  console.log(JSON.stringify(figures))
} finally {
  mailer.close()
  sink.stop()
  await database.close()
}
