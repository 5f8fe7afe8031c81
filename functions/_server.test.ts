import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTestServices } from '../core/services-testing.ts'
import { startFunctionsServer } from './_server.ts'

// The body limit as clients meet it: on a real listening server, not app.handle.
const LIMIT = 2048
let services: Awaited<ReturnType<typeof createTestServices>>
let functions: Awaited<ReturnType<typeof startFunctionsServer>>
let base: string

beforeAll(async () => {
  services = await createTestServices({ BODY_LIMIT_BYTES: String(LIMIT) })
  functions = await startFunctionsServer({ services, port: 0 })
  base = `http://127.0.0.1:${functions.server.port}`
}, 60_000)
afterAll(async () => {
  await functions.stop()
  await services.close()
})

const expectTooLarge = async (response: Response) => {
  expect(response.status).toBe(413)
  expect(await response.json()).toEqual({
    error: { code: 'payload_too_large', message: `Request body exceeds ${LIMIT} bytes` },
  })
}

describe('a body over the limit, on a listening server', () => {
  it.each([
    ['just over the limit', LIMIT + 1],
    ['several times the limit', LIMIT * 5],
  ])('answers one %s with the JSON error shape', async (_name, size) => {
    const response = await fetch(`${base}/api/auth/otp/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${'x'.repeat(size)}@example.com` }),
    })
    await expectTooLarge(response)
  })

  it('answers a chunked JSON body (no Content-Length) over the limit with the JSON error shape', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(512))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= LIMIT + 1024) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(`${base}/api/auth/otp/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    await expectTooLarge(response)
  })
})
