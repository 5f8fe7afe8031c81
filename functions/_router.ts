import { relative } from 'node:path'
import { type AnyElysia, Elysia } from 'elysia'

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

export interface RouteSpec {
  /** File path relative to the functions folder, with forward slashes. */
  file: string
  method: Uppercase<HttpMethod>
  /** Route path below /api, e.g. '/organizations/:organizationId/units'. */
  path: string
}

export class RouterError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`)
    this.name = 'RouterError'
  }
}

/** Files and folders starting with `_`, tests and non-TypeScript files are not routes. */
export function isRouteCandidate(file: string): boolean {
  if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return false
  if (/\.(test|spec)\.ts$/.test(file)) return false
  return !file.split('/').some((segment) => segment.startsWith('_') || segment.startsWith('.'))
}

/**
 * Maps a file path to its route (pure). The scheme: `<name>.<method>.ts`; `[param]` → `:param`;
 * `[...rest]` → `*`; an `index` name is dropped. Example: `organizations/[organizationId]/units.get.ts`
 * → GET /organizations/:organizationId/units. Throws RouterError for names outside the scheme.
 */
export function routeFromFile(file: string): RouteSpec {
  const normalized = file.replaceAll('\\', '/')
  const match = /^(?<stem>.+)\.(?<method>[a-z]+)\.ts$/.exec(normalized)
  if (!match?.groups) {
    throw new RouterError(
      normalized,
      `name must be <name>.<method>.ts with method one of ${HTTP_METHODS.join(', ')}`,
    )
  }
  const method = match.groups.method as HttpMethod
  if (!HTTP_METHODS.includes(method)) {
    throw new RouterError(normalized, `unknown method "${method}" (use ${HTTP_METHODS.join(', ')})`)
  }
  const segments = match.groups.stem!.split('/')
  if (segments.at(-1) === 'index') segments.pop()
  const parts = segments.map((segment) => {
    const catchAll = /^\[\.\.\.([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(segment)
    if (catchAll) return '*'
    const param = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(segment)
    if (param) return `:${param[1]}`
    if (!/^[a-z0-9][a-z0-9-]*$/.test(segment)) {
      throw new RouterError(normalized, `segment "${segment}" must be kebab-case or [param]`)
    }
    return segment
  })
  const catchAllAt = parts.indexOf('*')
  if (catchAllAt !== -1 && catchAllAt !== parts.length - 1) {
    throw new RouterError(normalized, 'a [...catchAll] segment must be the last one')
  }
  return {
    file: normalized,
    method: method.toUpperCase() as Uppercase<HttpMethod>,
    path: `/${parts.join('/')}`,
  }
}

/** Two routes clash when they differ only by parameter names (`/a/:x` vs `/a/:y`). */
function routeKey(route: RouteSpec): string {
  return `${route.method} ${route.path.replace(/:[^/]+/g, ':')}`
}

/** Maps a sorted list of files to routes, rejecting duplicates and an empty list. */
export function planRoutes(files: string[]): RouteSpec[] {
  const candidates = files.filter(isRouteCandidate).sort()
  if (candidates.length === 0) throw new RouterError('functions/', 'no route files found')
  const seen = new Map<string, string>()
  return candidates.map((file) => {
    const route = routeFromFile(file)
    const key = routeKey(route)
    const other = seen.get(key)
    if (other) throw new RouterError(file, `duplicate route ${route.method} ${route.path} (also ${other})`)
    seen.set(key, file)
    return route
  })
}

export interface LoadedRoute extends RouteSpec {
  handler: AnyElysia
}

/** Scans `dir` (sorted), imports each route file and checks it default-exports a matching Elysia. */
export async function loadRoutes(dir: string, only?: string[]): Promise<LoadedRoute[]> {
  const files = only ?? [...new Bun.Glob('**/*.ts').scanSync({ cwd: dir })]
  const specs = planRoutes(files.map((file) => relative(dir, `${dir}/${file}`).replaceAll('\\', '/')))
  const loaded: LoadedRoute[] = []
  for (const spec of specs) {
    const module = (await import(`${dir}/${spec.file}`)) as { default?: unknown }
    loaded.push({ ...spec, handler: checkHandler(spec, module.default) })
  }
  return loaded
}

/** A route file must default-export one Elysia instance declaring exactly its own method at ''. */
export function checkHandler(spec: RouteSpec, handler: unknown): AnyElysia {
  if (!(handler instanceof Elysia)) throw new RouterError(spec.file, 'must default-export an Elysia instance')
  const routes = handler.routes
  if (routes.length !== 1) {
    throw new RouterError(spec.file, `must declare exactly one route, found ${routes.length}`)
  }
  const [route] = routes
  if (route!.method !== spec.method || route!.path !== '') {
    throw new RouterError(
      spec.file,
      `must declare .${spec.method.toLowerCase()}('') (found ${route!.method} '${route!.path}')`,
    )
  }
  return handler
}

/** Mounts the routes under `prefix` (default /api). */
export function mountRoutes(app: AnyElysia, routes: LoadedRoute[], prefix = '/api'): void {
  for (const route of routes) {
    const path = route.path === '/' ? prefix : `${prefix}${route.path}`
    app.group(path, (group) => group.use(route.handler))
  }
}
