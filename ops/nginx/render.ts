/**
 * Renders ops/nginx/assembly.conf.template from the environment. Every value is validated (a bad one
 * stops with a line naming the variable, like core/config.ts), so nothing from the environment can
 * inject nginx directives.
 *
 *   bun ops/nginx/render.ts [--out FILE] [--mode https|http|acme] [--acme-until-cert]
 *
 * --acme-until-cert: in https mode, render the acme mode instead while the certificate file is missing
 * (first start, before certbot has run), so nginx can start and answer the ACME challenge.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const templatePath = join(import.meta.dir, 'assembly.conf.template')

export type NginxMode = 'https' | 'http' | 'acme'

export class NginxConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'NginxConfigError'
  }
}

type Env = Record<string, string | undefined>

export interface NginxSettings {
  mode: NginxMode
  serverNames: string[]
  listenHost: string
  httpPort: number
  httpsPort: number
  ipv6: boolean
  /** nginx version the output targets: enables `resolve` (>= 1.27.3) and `http2 on` (>= 1.25.1). */
  nginxVersion: [number, number, number]
  resolver: string
  functionsUpstreams: string[]
  realtimeUpstreams: string[]
  botsUpstreams: string[]
  tlsCert: string
  tlsKey: string
  tlsProtocols: string
  acmeRoot: string
  webRoot: string
  accessLog: string
  clientMaxBodySize: string
  authRate: string
  authBurst: number
  webhookRate: string
  webhookBurst: number
  wsConnPerIp: number
  wsReadTimeout: string
  hsts: string
  csp: string
}

const DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' wss: https:",
  "font-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === '' ? undefined : value
}

function matching(env: Env, name: string, pattern: RegExp, fallback: string, hint: string): string {
  const value = read(env, name) ?? fallback
  if (!pattern.test(value)) throw new NginxConfigError(name, `${hint} (got "${value}")`)
  return value
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name)
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new NginxConfigError(name, `must be a whole number between ${min} and ${max} (got "${value}")`)
  }
  return parsed
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name)
  if (value === undefined) return fallback
  if (value === 'true' || value === 'false') return value === 'true'
  throw new NginxConfigError(name, `must be true or false (got "${value}")`)
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/
const PATH = /^\/[A-Za-z0-9._\-/]*$/

/** `host:port` entries separated by commas or spaces; an empty list only where `allowEmpty`. */
function upstreams(env: Env, name: string, fallback: string, allowEmpty: boolean): string[] {
  const raw = env[name] === undefined ? fallback : (env[name] ?? '')
  const entries = raw.split(/[\s,]+/).filter(Boolean)
  if (entries.length === 0 && !allowEmpty) throw new NginxConfigError(name, 'needs at least one host:port')
  for (const entry of entries) {
    const match = /^([^:]+):(\d{1,5})$/.exec(entry)
    if (!match || !(HOST.test(match[1]!) || IPV4.test(match[1]!)) || Number(match[2]) > 65535) {
      throw new NginxConfigError(name, `"${entry}" is not host:port`)
    }
  }
  return entries
}

function version(env: Env, name: string, fallback: string): [number, number, number] {
  const value = read(env, name) ?? fallback
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(value)
  if (!match) throw new NginxConfigError(name, `must look like 1.28 or 1.22.1 (got "${value}")`)
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
}

/** Reads and validates every setting. Throws NginxConfigError naming the first bad variable. */
export function loadNginxSettings(env: Env = process.env): NginxSettings {
  const mode = matching(
    env,
    'NGINX_MODE',
    /^(https|http|acme)$/,
    'https',
    'must be https, http or acme',
  ) as NginxMode
  const domain = read(env, 'DOMAIN')
  if (domain === undefined && mode !== 'http') {
    throw new NginxConfigError('DOMAIN', `is required when NGINX_MODE=${mode}`)
  }
  const serverNames = [domain ?? '_', ...(read(env, 'NGINX_EXTRA_SERVER_NAMES') ?? '').split(/[\s,]+/)]
    .filter(Boolean)
    .map((name) => {
      if (name !== '_' && !HOST.test(name))
        throw new NginxConfigError('DOMAIN', `"${name}" is not a host name`)
      return name
    })
  const live = `/etc/letsencrypt/live/${domain ?? 'localhost'}`
  const path = (name: string, fallback: string) =>
    matching(env, name, PATH, fallback, 'must be an absolute path of letters, digits, . _ - /')
  const rate = (name: string, fallback: string) =>
    matching(env, name, /^\d+r\/[sm]$/, fallback, 'must look like 10r/m or 20r/s')
  return {
    mode,
    serverNames,
    listenHost: matching(
      env,
      'NGINX_LISTEN_HOST',
      /^(|\d{1,3}(\.\d{1,3}){3})$/,
      '',
      'must be an IPv4 address',
    ),
    httpPort: integer(env, 'NGINX_HTTP_PORT', 80, 1, 65535),
    httpsPort: integer(env, 'NGINX_HTTPS_PORT', 443, 1, 65535),
    ipv6: flag(env, 'NGINX_IPV6', false),
    nginxVersion: version(env, 'NGINX_VERSION', '1.22'),
    resolver: matching(env, 'NGINX_RESOLVER', IPV4, '127.0.0.11', 'must be an IPv4 address'),
    functionsUpstreams: upstreams(env, 'FUNCTIONS_UPSTREAMS', 'functions:3000', false),
    realtimeUpstreams: upstreams(env, 'REALTIME_UPSTREAMS', 'realtime:3001', false),
    botsUpstreams: upstreams(env, 'BOTS_UPSTREAMS', '', true),
    tlsCert: path('NGINX_TLS_CERT', `${live}/fullchain.pem`),
    tlsKey: path('NGINX_TLS_KEY', `${live}/privkey.pem`),
    tlsProtocols: matching(
      env,
      'NGINX_TLS_PROTOCOLS',
      /^(TLSv1\.[23])( TLSv1\.[23])?$/,
      'TLSv1.2 TLSv1.3',
      'must be "TLSv1.2 TLSv1.3" or "TLSv1.3"',
    ),
    acmeRoot: path('NGINX_ACME_ROOT', '/var/www/acme'),
    webRoot: path('NGINX_WEB_ROOT', '/srv/web'),
    accessLog: path('NGINX_ACCESS_LOG', '/var/log/nginx/access.log'),
    clientMaxBodySize: matching(
      env,
      'NGINX_CLIENT_MAX_BODY_SIZE',
      /^\d+[kKmM]?$/,
      '10m',
      'must look like 10m',
    ),
    // A room of 500 owners behind one address signing in within 10 minutes makes ~4 sign-in
    // requests each (passkey challenge, code request, verify, a retry): 2,000 in 600 s, in bursts.
    authRate: rate('NGINX_AUTH_RATE', '10r/s'),
    authBurst: integer(env, 'NGINX_AUTH_BURST', 200, 0, 10000),
    webhookRate: rate('NGINX_WEBHOOK_RATE', '20r/s'),
    webhookBurst: integer(env, 'NGINX_WEBHOOK_BURST', 40, 0, 10000),
    // Every phone on the vote page holds one socket, and a room on the venue's Wi-Fi is one address:
    // 1,000 voters plus the desk, the board and the projector must fit (20 refused the 21st phone).
    wsConnPerIp: integer(env, 'NGINX_WS_CONN_PER_IP', 2000, 1, 100000),
    wsReadTimeout: matching(env, 'NGINX_WS_READ_TIMEOUT', /^\d+s$/, '75s', 'must look like 75s'),
    hsts: matching(
      env,
      'NGINX_HSTS',
      /^max-age=\d+(; ?includeSubDomains)?(; ?preload)?$/,
      'max-age=31536000',
      'must look like max-age=31536000',
    ),
    csp: matching(
      env,
      'NGINX_CSP',
      /^[^"\\\n{};]*(;[^"\\\n{};]*)*$/,
      DEFAULT_CSP,
      'must not contain quotes, braces or newlines',
    ),
  }
}

const atLeast = (have: [number, number, number], want: [number, number, number]) => {
  for (let i = 0; i < 3; i++) if (have[i]! !== want[i]!) return have[i]! > want[i]!
  return true
}

/** The flags `#@if` tests: the mode, bots, resolve, http2directive. */
export function flagsOf(settings: NginxSettings): Set<string> {
  const flags = new Set<string>([settings.mode])
  if (settings.botsUpstreams.length > 0) flags.add('bots')
  if (atLeast(settings.nginxVersion, [1, 27, 3])) flags.add('resolve')
  if (atLeast(settings.nginxVersion, [1, 25, 1])) flags.add('http2directive')
  return flags
}

function listenLines(settings: NginxSettings, port: number, extra: string): string[] {
  const suffix = extra ? ` ${extra}` : ''
  const address = settings.listenHost ? `${settings.listenHost}:${port}` : `${port}`
  const lines = [`listen ${address}${suffix};`]
  if (settings.ipv6) lines.push(`listen [::]:${port}${suffix};`)
  return lines
}

/** The placeholder values; a list becomes one line each, indented like the placeholder. */
export function valuesOf(settings: NginxSettings): Record<string, string | string[]> {
  const flags = flagsOf(settings)
  const server = (entry: string) =>
    `server ${entry} max_fails=3 fail_timeout=10s${flags.has('resolve') ? ' resolve' : ''};`
  return {
    SERVER_NAMES: settings.serverNames.join(' '),
    HTTP_LISTEN: listenLines(settings, settings.httpPort, ''),
    HTTPS_LISTEN: listenLines(
      settings,
      settings.httpsPort,
      flags.has('http2directive') ? 'ssl' : 'ssl http2',
    ),
    RESOLVER: settings.resolver,
    FUNCTIONS_SERVERS: settings.functionsUpstreams.map(server),
    REALTIME_SERVERS: settings.realtimeUpstreams.map(server),
    BOTS_SERVERS: settings.botsUpstreams.map(server),
    TLS_CERT: settings.tlsCert,
    TLS_KEY: settings.tlsKey,
    TLS_PROTOCOLS: settings.tlsProtocols,
    ACME_ROOT: settings.acmeRoot,
    WEB_ROOT: settings.webRoot,
    ACCESS_LOG: settings.accessLog,
    CLIENT_MAX_BODY_SIZE: settings.clientMaxBodySize,
    AUTH_RATE: settings.authRate,
    AUTH_BURST: String(settings.authBurst),
    WEBHOOK_RATE: settings.webhookRate,
    WEBHOOK_BURST: String(settings.webhookBurst),
    WS_CONN_PER_IP: String(settings.wsConnPerIp),
    WS_READ_TIMEOUT: settings.wsReadTimeout,
    HSTS: settings.hsts,
    CSP: settings.csp,
  }
}

const DIRECTIVE = /^(\s*)#@(define|use|if|end)\b\s*(.*)$/

/** Splits off `#@define` blocks (nesting-aware) and returns the remaining lines and the blocks. */
function collectDefinitions(lines: string[]): { body: string[]; blocks: Map<string, string[]> } {
  const body: string[] = []
  const blocks = new Map<string, string[]>()
  let current: { name: string; lines: string[]; depth: number } | null = null
  for (const line of lines) {
    const [, , keyword, argument] = DIRECTIVE.exec(line) ?? []
    if (current) {
      if (keyword === 'define' || keyword === 'if') current.depth++
      if (keyword === 'end' && --current.depth === 0) {
        blocks.set(current.name, current.lines)
        current = null
        continue
      }
      current.lines.push(line)
      continue
    }
    if (keyword === 'define') {
      if (!argument) throw new Error('template: #@define needs a name')
      current = { name: argument.trim(), lines: [], depth: 1 }
      continue
    }
    body.push(line)
  }
  if (current) throw new Error(`template: #@define ${current.name} is not closed`)
  return { body, blocks }
}

function expandUses(lines: string[], blocks: Map<string, string[]>, depth = 0): string[] {
  if (depth > 10) throw new Error('template: #@use nested too deeply')
  return lines.flatMap((line) => {
    const [, indent = '', keyword, argument] = DIRECTIVE.exec(line) ?? []
    if (keyword !== 'use') return [line]
    const block = blocks.get(argument?.trim() ?? '')
    if (!block) throw new Error(`template: #@use of unknown block "${argument}"`)
    return expandUses(
      block.map((inner) => (inner.trim() === '' ? inner : indent + inner)),
      blocks,
      depth + 1,
    )
  })
}

function evaluateConditions(lines: string[], flags: Set<string>): string[] {
  const kept: string[] = []
  const stack: boolean[] = []
  for (const line of lines) {
    const [, , keyword, argument = ''] = DIRECTIVE.exec(line) ?? []
    if (keyword === 'if') {
      const negated = argument.trim().startsWith('!')
      const names = argument.trim().replace(/^!/, '').split('|')
      const holds = names.some((name) => flags.has(name.trim()))
      stack.push(negated ? !holds : holds)
      continue
    }
    if (keyword === 'end') {
      if (stack.pop() === undefined) throw new Error('template: #@end without #@if')
      continue
    }
    if (stack.every(Boolean)) kept.push(line)
  }
  if (stack.length > 0) throw new Error('template: #@if is not closed')
  return kept
}

function substitute(lines: string[], values: Record<string, string | string[]>): string[] {
  return lines.flatMap((line) => {
    const alone = /^(\s*)\{\{([A-Z0-9_]+)\}\}\s*$/.exec(line)
    if (alone) {
      const value = values[alone[2]!]
      if (value === undefined) throw new Error(`template: unknown placeholder {{${alone[2]}}}`)
      return (Array.isArray(value) ? value : [value]).map((item) => alone[1] + item)
    }
    return [
      line.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name: string) => {
        const value = values[name]
        if (value === undefined || Array.isArray(value)) {
          throw new Error(`template: placeholder {{${name}}} must stand alone or be a single value`)
        }
        return value
      }),
    ]
  })
}

/** Renders the template text with the given settings. Pure: no file system, no environment. */
export function renderNginxConfig(template: string, settings: NginxSettings): string {
  // The template's leading comment explains the template syntax, not the output: drop it.
  const all = template.split('\n')
  const firstCode = all.findIndex((line) => !line.startsWith('#') || DIRECTIVE.test(line))
  const { body, blocks } = collectDefinitions(all.slice(firstCode === -1 ? all.length : firstCode))
  const lines = substitute(
    evaluateConditions(expandUses(body, blocks), flagsOf(settings)),
    valuesOf(settings),
  )
  const header = `# Rendered from ops/nginx/assembly.conf.template (mode ${settings.mode}); do not edit.`
  return `${[header, ...lines]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`
}

if (import.meta.main) {
  const args = process.argv.slice(2)
  const option = (name: string) => {
    const index = args.indexOf(name)
    return index === -1 ? undefined : args[index + 1]
  }
  if (args.includes('--help')) {
    console.log(
      'Usage: bun ops/nginx/render.ts [--out FILE] [--mode https|http|acme] [--acme-until-cert]\n' +
        'Renders ops/nginx/assembly.conf.template from the environment (see ops/README.md, "nginx").',
    )
    process.exit(0)
  }
  try {
    const env = { ...process.env }
    const mode = option('--mode')
    if (mode) env.NGINX_MODE = mode
    let settings = loadNginxSettings(env)
    if (args.includes('--acme-until-cert') && settings.mode === 'https' && !existsSync(settings.tlsCert)) {
      console.error(`nginx: no certificate at ${settings.tlsCert} yet; rendering the acme mode`)
      settings = { ...settings, mode: 'acme' }
    }
    const config = renderNginxConfig(await Bun.file(templatePath).text(), settings)
    const out = option('--out')
    if (!out) {
      process.stdout.write(config)
    } else {
      mkdirSync(dirname(out), { recursive: true })
      writeFileSync(`${out}.tmp`, config)
      renameSync(`${out}.tmp`, out)
      console.error(`nginx: wrote ${out} (mode ${settings.mode})`)
    }
  } catch (error) {
    if (!(error instanceof NginxConfigError)) throw error
    console.error(`Configuration error: ${error.message}`)
    process.exit(1)
  }
}
