import { afterAll, describe, expect, it } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { isRouteCandidate, loadRoutes, planRoutes, RouterError, routeFromFile } from './_router.ts'

describe('routeFromFile', () => {
  it.each([
    ['health.get.ts', 'GET', '/health'],
    ['index.get.ts', 'GET', '/'],
    ['organizations.post.ts', 'POST', '/organizations'],
    ['organizations/index.get.ts', 'GET', '/organizations'],
    ['organizations/[organizationId].get.ts', 'GET', '/organizations/:organizationId'],
    ['organizations/[organizationId]/index.patch.ts', 'PATCH', '/organizations/:organizationId'],
    ['organizations/[organizationId]/units.get.ts', 'GET', '/organizations/:organizationId/units'],
    [
      'assemblies/[assemblyId]/motions/[motionId]/votes.post.ts',
      'POST',
      '/assemblies/:assemblyId/motions/:motionId/votes',
    ],
    ['auth/otp/request.post.ts', 'POST', '/auth/otp/request'],
    ['auth/sign-out-everywhere.post.ts', 'POST', '/auth/sign-out-everywhere'],
    ['units/[unitId].delete.ts', 'DELETE', '/units/:unitId'],
    ['units/[unitId].put.ts', 'PUT', '/units/:unitId'],
    ['files/[...path].get.ts', 'GET', '/files/*'],
  ])('%s → %s %s', (file, method, path) => {
    expect(routeFromFile(file)).toEqual({ file, method: method as never, path })
  })

  it.each([
    ['units.ts', 'name must be <name>.<method>.ts'],
    ['units.fetch.ts', 'unknown method "fetch"'],
    ['Units.get.ts', 'must be kebab-case'],
    ['units/[unit id].get.ts', 'must be kebab-case or [param]'],
    ['files/[...path]/x.get.ts', 'must be the last one'],
  ])('rejects %s', (file, message) => {
    expect(() => routeFromFile(file)).toThrow(message)
  })
})

describe('isRouteCandidate', () => {
  it.each([
    ['health.get.ts', true],
    ['organizations/[id]/units.get.ts', true],
    ['_router.ts', false],
    ['_lib/app.ts', false],
    ['organizations/_shared/schema.ts', false],
    ['health.get.test.ts', false],
    ['_router.test.ts', false],
    ['README.md', false],
    ['types.d.ts', false],
  ])('%s → %p', (file, expected) => {
    expect(isRouteCandidate(file)).toBe(expected)
  })
})

describe('planRoutes', () => {
  it('sorts files and ignores non-routes', () => {
    const plan = planRoutes(['b.get.ts', '_lib/x.ts', 'a.post.ts', 'a.get.ts', 'a.get.test.ts'])
    expect(plan.map((route) => route.file)).toEqual(['a.get.ts', 'a.post.ts', 'b.get.ts'])
  })

  it('rejects a duplicate route, naming both files', () => {
    expect(() => planRoutes(['units/index.get.ts', 'units.get.ts'])).toThrow(
      'units/index.get.ts: duplicate route GET /units (also units.get.ts)',
    )
  })

  it('rejects routes that differ only by parameter name', () => {
    expect(() => planRoutes(['units/[id].get.ts', 'units/[unitId].get.ts'])).toThrow(RouterError)
  })

  it('allows the same path with different methods', () => {
    expect(planRoutes(['units.get.ts', 'units.post.ts'])).toHaveLength(2)
  })

  it('rejects an empty folder', () => {
    expect(() => planRoutes(['_lib/app.ts'])).toThrow('no route files found')
  })
})

describe('loadRoutes', () => {
  const root = mkdtempSync(join(tmpdir(), 'router-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const elysia = JSON.stringify(import.meta.resolve('elysia'))

  const fixture = (name: string, files: Record<string, string>) => {
    const dir = join(root, name)
    for (const [file, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), source)
    }
    return dir
  }

  it('loads sorted routes whose default export declares its method', async () => {
    const dir = fixture('ok', {
      'b.get.ts': `import { Elysia } from ${elysia}; export default new Elysia().get('', () => 'b')`,
      'a/[id].post.ts': `import { Elysia } from ${elysia}; export default new Elysia().post('', () => 'a')`,
    })
    const routes = await loadRoutes(dir)
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(['POST /a/:id', 'GET /b'])
  })

  it.each([
    ['no default export', 'export const x = 1', 'must default-export an Elysia instance'],
    ['a plain object', 'export default { get() {} }', 'must default-export an Elysia instance'],
    [
      'a different method',
      `import { Elysia } from ${elysia}; export default new Elysia().post('', () => 1)`,
      "must declare .get('') (found POST '')",
    ],
    [
      'two routes',
      `import { Elysia } from ${elysia}; export default new Elysia().get('', () => 1).get('/x', () => 2)`,
      'must declare exactly one route, found 2',
    ],
  ])('refuses a file with %s, naming it', async (name, source, message) => {
    const dir = fixture(name.replaceAll(' ', '-'), { 'thing.get.ts': source })
    await expect(loadRoutes(dir)).rejects.toThrow(`thing.get.ts: ${message}`)
  })
})
