import { describe, expect, it } from 'bun:test'
import { Elysia, t } from 'elysia'
import { fullFormats } from 'elysia/type-system/format'
// The app module imports @elysiajs/openapi (which registers slow Valibot format checks) and then
// restores Elysia's plain ones: importing it is what the functions process does at start.
import './app.ts'

describe('string formats after the OpenAPI plugin is loaded', () => {
  it("checks a uuid with Elysia's plain expression, not a pipeline built per call", async () => {
    const uuid = fullFormats.uuid
    const plainTest = uuid.test.bind(uuid)
    let calls = 0
    uuid.test = (value: string) => {
      calls += 1
      return plainTest(value)
    }
    try {
      const app = new Elysia().get('/units/:id', ({ params }) => params.id, {
        params: t.Object({ id: t.String({ format: 'uuid' }) }),
      })
      const id = crypto.randomUUID()
      const ok = await app.handle(new Request(`http://localhost/units/${id}`))
      expect(ok.status).toBe(200)
      expect(await ok.text()).toBe(id)
      const refused = await app.handle(new Request('http://localhost/units/not-a-uuid'))
      expect(refused.status).toBe(422)
      expect(calls).toBeGreaterThanOrEqual(2)
    } finally {
      uuid.test = plainTest
    }
  })
})
