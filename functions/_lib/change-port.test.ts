import { describe, expect, it } from 'bun:test'
import { join } from 'node:path'

/*
 * Core services announce their own changes through the change port they are given in their deps. A
 * route that calls one without giving it the port would change state silently (no version moves, no
 * screen wakes), so every call of such a service from a route or a bot must pass it along.
 */

const root = join(import.meta.dir, '..', '..')

/** Exported core functions whose last parameter is deps carrying the change port. */
async function announcingServices(): Promise<Set<string>> {
  const names = new Set<string>()
  const signature = /export async function (\w+)\([^)]*?deps: (?:ChangeDeps|AssemblyDeps|ProxyDeps)\b/gs
  for (const file of new Bun.Glob('core/**/*.ts').scanSync({ cwd: root })) {
    if (file.endsWith('.test.ts')) continue
    const text = await Bun.file(join(root, file)).text()
    for (const match of text.matchAll(signature)) names.add(match[1]!)
  }
  return names
}

/** The text of each call `name(…)` in `text`, parentheses balanced. */
function callsOf(text: string, name: string): string[] {
  const calls: string[] = []
  const pattern = new RegExp(`(?<![\\w.])${name}\\(`, 'g')
  for (const match of text.matchAll(pattern)) {
    let depth = 0
    let end = match.index! + name.length
    for (; end < text.length; end++) {
      if (text[end] === '(') depth += 1
      else if (text[end] === ')' && --depth === 0) break
    }
    calls.push(text.slice(match.index!, end + 1))
  }
  return calls
}

/** A call gives the port when it passes the services' port, the assembly deps, or deps it was given. */
const givesPort = (call: string) => /\bchanges\b|assemblyDeps\(|\bdeps\b/.test(call)

describe('the change port', () => {
  it('is found on the mutating core services (the scan below is not empty)', async () => {
    const names = await announcingServices()
    for (const name of [
      'checkIn',
      'registerProxy',
      'createMotion',
      'importUnits',
      'setUnitOwners',
      'grantRole',
    ])
      expect(names.has(name)).toBe(true)
  })

  it('is passed by every route and bot that calls such a service', async () => {
    const names = await announcingServices()
    const forgotten: string[] = []
    for (const glob of ['functions/**/*.ts', 'bots/**/*.ts', 'realtime/**/*.ts']) {
      for (const file of new Bun.Glob(glob).scanSync({ cwd: root })) {
        if (file.endsWith('.test.ts') || file.includes('testing')) continue
        const text = await Bun.file(join(root, file)).text()
        for (const name of names) {
          for (const call of callsOf(text, name)) {
            if (!givesPort(call)) forgotten.push(`${file}: ${call.split('\n')[0]}`)
          }
        }
      }
    }
    expect(forgotten).toEqual([])
  })
})
