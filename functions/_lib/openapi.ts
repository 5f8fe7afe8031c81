import type { LoadedRoute } from '../_router.ts'

/*
 * @elysiajs/openapi leaves `requestBody.content` empty for every route once the app has its own body
 * parser (ours reads JSON with a byte limit): the bodies' `t` schemas are published here instead.
 */

interface Operation {
  requestBody?: { content?: Record<string, unknown>; description?: string; required?: boolean }
}
type OpenApiDocument = { paths?: Record<string, Record<string, Operation>> }

const hasFile = (schema: unknown): boolean =>
  JSON.stringify(schema ?? null).includes('"format":"binary"') ||
  JSON.stringify(schema ?? null).includes('"default":"File"')

/** The media types a body is sent as: text (CSV) for a string, a form too when it carries a file. */
function contentOf(schema: Record<string, unknown>): Record<string, unknown> {
  const published = { schema }
  if (schema.type === 'string') return { 'text/csv': published, 'text/plain': published }
  if (hasFile(schema)) return { 'application/json': published, 'multipart/form-data': published }
  return { 'application/json': published }
}

/** Fills in the request body of every operation whose route declares one (idempotent). */
export function publishRequestBodies(document: OpenApiDocument, routes: LoadedRoute[], prefix = '/api') {
  for (const route of routes) {
    const body = route.handler.routes[0]?.hooks?.body
    if (!body) continue
    const path = `${prefix}${route.path === '/' ? '' : route.path}`.replace(/:([A-Za-z_]\w*)/g, '{$1}')
    const operation = document.paths?.[path]?.[route.method.toLowerCase()]
    if (!operation) continue
    if (operation.requestBody?.content && Object.keys(operation.requestBody.content).length > 0) continue
    const schema = JSON.parse(JSON.stringify(body)) as Record<string, unknown>
    operation.requestBody = {
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      required: true,
      content: contentOf(schema),
    }
  }
  return document
}
