import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_ADMIN_EMAIL } from '../db/seed.ts'
import { readUntil } from './testing.ts'

const root = join(import.meta.dir, '..')
const dataDir = mkdtempSync(join(tmpdir(), 'assembly-start-'))
const children: Bun.Subprocess[] = []

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** The environment a new user has: nothing about databases. */
function bareEnv(extra: Record<string, string> = {}) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' }
  return { ...env, ...extra }
}

describe('bun start (embedded default)', () => {
  it('migrates, seeds and serves health, readiness and the demo units with no configuration', async () => {
    const child = Bun.spawn(['bun', 'ops/start.ts'], {
      cwd: root,
      env: bareEnv({
        DATA_DIR: dataDir,
        FUNCTIONS_PORT: '0',
        REALTIME_PORT: '0',
        BOTS_PORT: '0',
        LOG_LEVEL: 'warn',
      }),
      stdout: 'pipe',
      stderr: 'inherit',
    })
    children.push(child)
    const [, api] = await readUntil(child.stdout, /API\s+(http:\/\/\S+\/api)\n/, 60_000)
    expect((await fetch(`${api}/health`)).status).toBe(200)
    expect(await (await fetch(`${api}/ready`)).json()).toEqual({ ready: true, database: true, bus: true })
    // Sign in as the demo administrator; without SMTP the code is in the dev mailbox.
    const post = (path: string, body: unknown) =>
      fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const { attempt } = await (await post('/auth/otp/request', { email: DEMO_ADMIN_EMAIL })).json()
    const { messages } = await (await fetch(`${api}/dev/mailbox?format=json`)).json()
    const code = messages[0].text.match(/\b(\d{6})\b/)[1]
    const { token } = await (
      await post('/auth/otp/verify', { email: DEMO_ADMIN_EMAIL, attempt, code })
    ).json()
    const auth = { headers: { authorization: `Bearer ${token}` } }
    const { organizations } = await (await fetch(`${api}/organizations`, auth)).json()
    expect(organizations).toHaveLength(1)
    const units = await (
      await fetch(`${api}/organizations/${organizations[0].id}/units?limit=1000`, auth)
    ).json()
    expect(units.total).toBe(120)
    expect(units.totalCoefficient).toBe('100.000000000')
    child.kill('SIGTERM')
    expect(await child.exited).toBe(0)
  }, 90_000)

  it('stops at once with one line naming a malformed variable', async () => {
    const child = Bun.spawn(['bun', 'ops/start.ts'], {
      cwd: root,
      env: bareEnv({ DATA_DIR: dataDir, FUNCTIONS_PORT: 'eighty' }),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    children.push(child)
    expect(await child.exited).toBe(1)
    const stderr = (await new Response(child.stderr).text()).trim()
    expect(stderr).toBe('Configuration error: FUNCTIONS_PORT: must be a whole number (got "eighty")')
  }, 30_000)
})
