import { and, eq } from 'drizzle-orm'
import { motions, people } from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { createMotion } from '../motions/motions.ts'
import { addPerson, addProxy, checkIn, createScenario, type Scenario } from '../motions/testing.ts'
import type { MotionOption } from '../rules/types.ts'
import { createTestUser, type TestServices } from '../services-testing.ts'
import { linkChat } from './links.ts'

/*
 * Fixtures for the chat tests (the engine here, the bots' channels, the web chat route): a PH whose
 * owners and proxy holder are users with an email, on services of the test's own (real PostgreSQL/Redis
 * when the URLs are set), and the environment that turns each channel on.
 */

/** Environment that turns the Telegram channel on, by webhook, against `apiRoot`. */
export function telegramEnv(apiRoot: string): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: '123456789:TEST-token-abcdefghijklmnopqrstuvwxyz',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-for-tests',
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_BOT_USERNAME: 'asamblea_test_bot',
  }
}

/** Environment that turns the WhatsApp channel on against a fake Graph API at `graphUrl`. */
export function whatsappEnv(graphUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: 'test-access-token',
    WHATSAPP_APP_SECRET: 'test-app-secret',
    WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
    WHATSAPP_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_GRAPH_URL: graphUrl,
    WHATSAPP_BUSINESS_NUMBER: '+507 6000-0000',
    ...extra,
  }
}

export interface Person {
  userId: string
  personId: string
  email: string
}

export interface ChatPh {
  scenario: Scenario
  organizationId: string
  assemblyId: string
  /** 1A and 1B present, 3A absent. */
  owners: Record<'1A' | '1B' | '3A', Person>
  /** Holds the proxies of 2A and 2B and attends for both. */
  holder: Person
}

let counter = 0

/** A PH with an assembly in progress, its owners and proxy holder users with an email. */
export async function createChatPh(services: TestServices): Promise<ChatPh> {
  counter += 1
  const tag = `${counter}-${crypto.randomUUID().slice(0, 6)}`
  const { scenario, holderId } = await withPlatformScope(services.db, async (tx) => {
    const scenario = await createScenario(tx, {
      units: [
        { number: '1A', coefficient: '30', present: 'in_person' },
        { number: '1B', coefficient: '25', present: 'remote' },
        { number: '2A', coefficient: '20' },
        { number: '2B', coefficient: '15' },
        { number: '3A', coefficient: '10' },
      ],
    })
    const holderId = await addPerson(tx, scenario, 'Apoderada Uno')
    for (const unitNumber of ['2A', '2B']) {
      await addProxy(tx, scenario, { unitNumber, holderPersonId: holderId })
      await checkIn(tx, scenario, unitNumber, 'in_person', { personId: holderId })
    }
    return { scenario, holderId }
  })
  const person = async (personId: string, name: string): Promise<Person> => {
    const email = `${name}-${tag}@example.com`
    const user = await createTestUser(services, { email })
    await withPlatformScope(services.db, (tx) =>
      tx.update(people).set({ userId: user.userId, email }).where(eq(people.id, personId)),
    )
    return { userId: user.userId, personId, email }
  }
  return {
    scenario,
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    owners: {
      '1A': await person(scenario.owner('1A'), 'owner1a'),
      '1B': await person(scenario.owner('1B'), 'owner1b'),
      '3A': await person(scenario.owner('3A'), 'owner3a'),
    },
    holder: await person(holderId, 'holder'),
  }
}

/** Creates and opens a motion through the vote service (yes / no / abstain unless options are given). */
export async function openMotion(
  services: TestServices,
  ph: ChatPh,
  options: {
    title?: string
    options?: MotionOption[]
    choiceMode?: 'single' | 'multiple'
    /** An election: voters tick up to this many candidates. */
    seats?: number
  } = {},
): Promise<string> {
  // One open motion at a time, as in a real meeting: whatever another test left open is closed first,
  // so a test sees its own motion whatever order the tests run in.
  const stillOpen = await withTenant(services.db, ph.organizationId, (tx) =>
    tx
      .select({ id: motions.id })
      .from(motions)
      .where(and(eq(motions.assemblyId, ph.assemblyId), eq(motions.status, 'open'))),
  )
  for (const { id } of stillOpen) {
    await services.votes.close({ organizationId: ph.organizationId, motionId: id, actor: { userId: null } })
  }
  const motion = await createMotion(
    services.db,
    {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      actor: { userId: null },
      title: options.title ?? 'Aprobar el presupuesto 2026',
      requiresQuorum: false,
      ...(options.options ? { options: options.options } : {}),
      ...(options.choiceMode ? { choiceMode: options.choiceMode } : {}),
      ...(options.seats ? { seats: options.seats } : {}),
    },
    { changes: services.changes },
  )
  await services.votes.open({
    organizationId: ph.organizationId,
    motionId: motion.id,
    actor: { userId: null },
  })
  return motion.id
}

/** Links a chat to a user directly (what a code or an email proof would do). */
export function linkTestChat(
  services: TestServices,
  channel: 'telegram' | 'whatsapp',
  chatId: string,
  userId: string,
) {
  return linkChat(services.db, {
    channel,
    chatId,
    externalUserId: channel === 'telegram' ? chatId : null,
    userId,
    via: 'code',
    language: 'es',
  })
}

/** A recording HTTP server on 127.0.0.1 (fake Bot API, Graph API or language model). */
export function startRecordingServer(
  respond: (request: { method: string; path: string; body: unknown }) => Response | Promise<Response>,
) {
  const calls: { method: string; path: string; body: unknown }[] = []
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (request) => {
      const text = await request.text()
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : null
      } catch {}
      const call = { method: request.method, path: new URL(request.url).pathname, body }
      calls.push(call)
      return respond(call)
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, calls, stop: () => server.stop(true) }
}
