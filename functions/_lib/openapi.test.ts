import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTestServices } from '../../core/services-testing.ts'
import type { LoadedRoute } from '../_router.ts'
import { loadRoutes } from '../_router.ts'
import { createApp } from './app.ts'
import { functionsDir } from './testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
let routes: LoadedRoute[]
let document: { paths: Record<string, Record<string, Operation>> }

beforeAll(async () => {
  services = await createTestServices()
  routes = await loadRoutes(functionsDir)
  const app = createApp({ services, routes })
  document = await (await app.handle(new Request('http://localhost/api/docs/json'))).json()
})
afterAll(() => services.close())

type Operation = { requestBody?: { content?: Record<string, { schema: unknown }> } }

describe('the OpenAPI document', () => {
  it("publishes every body's schema (the route's `t` schema) on its operation", async () => {
    const withBody = routes.filter((route) => route.handler.routes[0]?.hooks?.body)
    expect(withBody.length).toBeGreaterThan(30)
    const missing: string[] = []
    for (const route of withBody) {
      const path = `/api${route.path}`.replace(/:([A-Za-z_]\w*)/g, '{$1}')
      const content = document.paths[path]?.[route.method.toLowerCase()]?.requestBody?.content ?? {}
      const expected = JSON.parse(JSON.stringify(route.handler.routes[0]!.hooks.body))
      const published = Object.values(content)
      if (published.length === 0 || !published.every((entry) => Bun.deepEquals(entry.schema, expected)))
        missing.push(`${route.method} ${path}`)
    }
    expect(missing).toEqual([])
    // Every operation the document lists with a body has its content.
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations))
        if (operation.requestBody)
          expect(Object.keys(operation.requestBody.content ?? {}), `${method} ${path}`).not.toEqual([])
  })

  it('tells a CSV body and a body with a file by their media types', async () => {
    const csv = document.paths['/api/organizations/{organizationId}/units/import']!.post!
    expect(Object.keys(csv.requestBody!.content!)).toEqual(['text/csv', 'text/plain'])
    const proxy = document.paths['/api/organizations/{organizationId}/assemblies/{assemblyId}/proxies']!.post!
    expect(Object.keys(proxy.requestBody!.content!)).toEqual(['application/json', 'multipart/form-data'])
  })
})
