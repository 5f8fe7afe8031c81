import { beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { createMotion } from '../../core/motions/motions.ts'
import { axeViolations } from './axe.ts'
import { checkIn, hasChromium, roomInProgress, stackForTests } from './stack.ts'

/*
 * The web chat widget (issue #13 part 6): loaded only when the owner opens it, it answers from the
 * assembly's data through POST /api/chat/webchat, works from the keyboard, speaks both languages, and
 * leaves the ballot usable on a 390×844 phone.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/j13chat'
const run = crypto.randomUUID().slice(0, 8)
const ownerEmail = `elena-${run}@example.org`
const stack = stackForTests()
let votePath = ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  const { organizationId, assemblyId, assemblyPath, api, owners } = await roomInProgress(stack, {
    units: [
      `201;F-201;55;Elena Castro;${ownerEmail};;sí`,
      `202;F-202;45;Jorge Vega;jorge-${run}@example.org;;sí`,
    ],
    agenda: ['Aprobación del presupuesto 2027', 'Elección de la junta directiva'],
  })
  await checkIn(api, assemblyPath, owners['201']!.personId)
  const motion = await createMotion(stack.services.db, {
    organizationId,
    assemblyId,
    actor: { userId: null },
    title: 'Aprobar el presupuesto 2027',
    requiresQuorum: false,
  })
  await stack.services.votes.open({ organizationId, motionId: motion.id, actor: { userId: null } })
  votePath = `/vote?organization=${organizationId}&assembly=${assemblyId}`
}, 90_000)

const ownerPage = (viewport: { width: number; height: number }, path: string): Promise<Page> =>
  stack.openPage(viewport, { email: ownerEmail, next: path })

/** The page content the launcher lies over, at every scroll position from the top to the end. */
async function coveredByLauncher(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle')
  return page.evaluate(() => {
    document.documentElement.style.scrollBehavior = 'auto'
    const launcher = document.getElementById('chat-launcher')!
    const covered = new Set<string>()
    const content = 'main :is(a, button, input, label, h1, h2, h3, h4, p, li, td, th, dd, dt)'
    for (let y = 0; ; y += 100) {
      window.scrollTo(0, y)
      const corner = launcher.getBoundingClientRect()
      for (const element of document.querySelectorAll(content)) {
        const box = element.getBoundingClientRect()
        if (box.width === 0 || box.height === 0) continue
        const apart =
          box.right <= corner.left ||
          box.left >= corner.right ||
          box.bottom <= corner.top ||
          box.top >= corner.bottom
        if (!apart) covered.add(element.textContent?.trim().slice(0, 60) ?? element.tagName)
      }
      if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight) break
    }
    return [...covered]
  })
}

/** Asks through the widget's field and returns the assistant's newest answer. */
async function ask(page: Page, question: string): Promise<string> {
  const log = page.getByRole('log')
  const before = await log.locator('.chat-assistant').count()
  await page.getByLabel(/Su pregunta|Your question/).fill(question)
  await page.keyboard.press('Enter')
  const answer = log.locator('.chat-assistant').nth(before)
  await answer.waitFor()
  return (await answer.textContent())?.trim() ?? ''
}

describe('the web chat widget', () => {
  it('loads on demand on the owner home and answers the agenda from the assembly, by keyboard', async () => {
    const page = await ownerPage({ width: 1366, height: 900 }, '/')
    const widgetRequests: string[] = []
    page.on('request', (request) => {
      if (/\/assets\/widget-/.test(request.url())) widgetRequests.push(request.url())
    })
    const launcher = page.getByRole('button', { name: 'Abrir el asistente de la asamblea' })
    await expect(launcher.isVisible()).resolves.toBe(true)
    await page.screenshot({ path: `${SHOTS}/chat-home-closed-1366.png` })
    expect(widgetRequests).toEqual([])

    await launcher.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Asistente de la asamblea' })
    await dialog.waitFor()
    expect(widgetRequests).toHaveLength(1)
    // The focus goes to the question field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-input')

    const answer = await ask(page, '¿Cuál es la agenda?')
    expect(answer).toContain('Aprobación del presupuesto 2027')
    expect(answer).toContain('Elección de la junta directiva')
    await page.screenshot({ path: `${SHOTS}/chat-home-open-1366.png` })
    // Open, with a conversation in it: no serious or critical accessibility problem.
    expect(await axeViolations(page)).toEqual([])

    // Escape closes it and gives the focus back to the launcher.
    await page.keyboard.press('Escape')
    expect(await dialog.isVisible()).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-launcher')
  }, 60_000)

  it('never lies over the owner home, on a phone or a desktop', async () => {
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1366, height: 900 },
    ]) {
      const page = await ownerPage(viewport, '/')
      await page.getByRole('button', { name: 'Abrir el asistente de la asamblea' }).waitFor()
      await page.screenshot({ path: `${SHOTS}/chat-home-closed-${viewport.width}-top.png` })
      expect(await coveredByLauncher(page)).toEqual([])
    }
  }, 60_000)

  it('leaves the ballot usable on a phone and answers in English', async () => {
    const page = await ownerPage({ width: 390, height: 844 }, votePath)
    await page.getByText('Aprobar el presupuesto 2027').first().waitFor()
    const launcher = page.locator('#chat-launcher')
    // The page draws its sections as their data arrive: measure once it has settled.
    await page.waitForLoadState('networkidle')
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    await page.screenshot({ path: `${SHOTS}/chat-vote-closed-390.png`, fullPage: false })
    // At no scroll position does the launcher lie over the ballot or its text.
    expect(await coveredByLauncher(page)).toEqual([])

    await page.getByRole('button', { name: 'English' }).click()
    await launcher.click()
    const dialog = page.getByRole('dialog', { name: 'Assembly assistant' })
    await dialog.waitFor()
    await page.getByRole('button', { name: 'How do I vote?' }).click()
    const answer = page.getByRole('log').locator('.chat-assistant').nth(1)
    await answer.waitFor()
    expect(await answer.textContent()).toContain('How to vote')
    await page.screenshot({ path: `${SHOTS}/chat-vote-open-390.png` })
    await page.getByRole('button', { name: 'Close the assistant' }).click()
    expect(await dialog.isVisible()).toBe(false)
  }, 60_000)
})
