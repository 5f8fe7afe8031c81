/**
 * The image test's view of docker-compose.yml: the container a service would get (command, user,
 * capabilities, security options, memory limit, environment list interpolated from .env-like values),
 * plus an empty Redis database number for the processes, which use no key prefix in production.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Redis from 'ioredis'
import { repoRoot } from '../testing.ts'
import type { ContainerSpec } from './podman.ts'

export interface ComposeService {
  command: string[]
  user?: string
  init?: boolean
  cap_drop?: string[]
  security_opt?: string[]
  environment?: Record<string, string | null>
  deploy: { resources: { limits: { memory: string } } }
}

export const compose = Bun.YAML.parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>
}

/** compose's `${NAME:-default}` / `${NAME:?message}` / `${NAME}` against `vars` (as from .env). */
export const interpolate = (value: string, vars: Record<string, string>) =>
  value.replace(
    /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest?: string) => {
      const found = vars[name]
      if (found !== undefined && found !== '') return found
      if (kind === '?') throw new Error(`compose needs ${name}: ${rest}`)
      return kind === '-' ? (rest ?? '') : ''
    },
  )

/** The container compose would start for `service`, its environment interpolated, then `overrides`. */
export function composeContainer(
  service: string,
  options: {
    name: string
    image: string
    vars: Record<string, string>
    overrides: Record<string, string>
    volumes: string[]
  },
): ContainerSpec {
  const definition = compose.services[service]
  if (!definition) throw new Error(`docker-compose.yml has no service ${service}`)
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(definition.environment ?? {})) {
    env[key] = interpolate(String(value ?? ''), options.vars)
  }
  Object.assign(env, options.overrides)
  return {
    name: options.name,
    image: options.image,
    command: definition.command,
    env,
    user: definition.user ?? '1000:1000',
    capDrop: definition.cap_drop ?? [],
    securityOpt: definition.security_opt ?? [],
    memory: definition.deploy.resources.limits.memory.toLowerCase(),
    volumes: options.volumes,
    init: definition.init === true,
  }
}

/** An empty Redis database number (8–15) on `url`, so the processes' keys stay apart from others'. */
export async function emptyRedisDatabase(url: string): Promise<string> {
  for (const db of [15, 14, 13, 12, 11, 10, 9, 8]) {
    const client = new Redis(url, { db, lazyConnect: true })
    await client.connect()
    const size = await client.dbsize()
    await client.quit()
    if (size === 0) {
      const chosen = new URL(url)
      chosen.pathname = `/${db}`
      return chosen.toString()
    }
  }
  throw new Error('no empty Redis database among 8–15')
}

/** Deletes the keys of the database `url` names (SCAN + DEL: never FLUSHDB on a shared server). */
export async function clearRedisDatabase(url: string): Promise<void> {
  const client = new Redis(url)
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) await client.del(...keys)
  } while (cursor !== '0')
  await client.quit()
}
