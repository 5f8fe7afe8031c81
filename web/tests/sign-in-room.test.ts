import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { organizations, people } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { hasChromium, type Stack, startStack } from './stack.ts'

/*
 * Sign-in at the venue (issue #13) in Chromium: every browser here comes from one address
 * (127.0.0.1), like a room on the building's Wi-Fi, and the production sign-in limits apply.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/i13'
const OWNERS = 40
const PARALLEL = 5
const run = crypto.randomUUID().slice(0, 8)
const emailOf = (i: number) => `sala-${run}-${i}@example.org`
let stack: Stack
const contexts: BrowserContext[] = []

beforeAll(async () => {
  // The production defaults, not the generous ones the other browser tests use.
  stack = await startStack({ RATE_LIMIT_AUTH_PER_IP: '3000', RATE_LIMIT_AUTH_PER_EMAIL: '5' })
  const [organization] = await stack.services.db
    .insert(organizations)
    .values({ slug: `ph-sala-${run}`, name: 'PH Sala' })
    .returning({ id: organizations.id })
  await withPlatformScope(stack.services.db, (tx) =>
    tx.insert(people).values(
      Array.from({ length: OWNERS + 1 }, (_, i) => ({
        organizationId: organization!.id,
        fullName: `Propietario ${i}`,
        email: emailOf(i),
      })),
    ),
  )
}, 60_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

async function freshPage(): Promise<Page> {
  const context = await stack.newContext()
  contexts.push(context)
  return context.newPage()
}

describe('sign-in from one address', () => {
  it(`signs ${OWNERS} owners in through the page, ${PARALLEL} at a time, none refused`, async () => {
    const refused: string[] = []
    const started = performance.now()
    let next = 0
    const worker = async () => {
      const page = await freshPage()
      page.on('response', (response) => {
        if (response.status() === 429) refused.push(response.url())
      })
      while (next < OWNERS) {
        const i = next++
        // Leave the signed-in page first: once its cookie is gone it would go to sign-in by itself,
        // interrupting the navigation below.
        await page.goto('about:blank')
        await page.context().clearCookies()
        await stack.signIn(page, emailOf(i))
        expect(new URL(page.url()).pathname).toBe('/')
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))
    const seconds = (performance.now() - started) / 1000
    console.info(`sign-in room: ${OWNERS} owners from one address in ${seconds.toFixed(1)} s`)
    expect(refused).toEqual([])
  }, 180_000)

  it('on 429 shows the wait and a button, and never retries by itself', async () => {
    const email = emailOf(OWNERS)
    // Use up this email's code requests from this address (5 per window) as a stubborn user would.
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${stack.origin}/api/auth/otp/request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: stack.origin },
        body: JSON.stringify({ email }),
      })
      expect(response.status).toBe(200)
    }
    const page = await freshPage()
    const requests: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/api/auth/otp/request')) requests.push(request.url())
    })
    await page.goto(`${stack.origin}/sign-in`)
    await page.getByLabel('Correo electrónico').fill(email)
    await page.getByRole('button', { name: 'Enviarme un código' }).click()
    const limited = page.locator('#rate-limited')
    await limited.getByText(/Espere \d+ (s|min)/).waitFor()
    const retry = limited.getByRole('button', { name: /Intentar de nuevo en \d+ (s|min)/ })
    expect(await retry.isDisabled()).toBe(true)
    // Give a looping page every chance to show itself: still the one request after two seconds.
    await page.waitForTimeout(2000)
    expect(requests).toHaveLength(1)
    mkdirSync(SHOTS, { recursive: true })
    await page.setViewportSize({ width: 1366, height: 900 })
    await page.screenshot({ path: `${SHOTS}/sign-in-429-1366.png`, fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: `${SHOTS}/sign-in-429-390.png`, fullPage: true })
  }, 60_000)
})
