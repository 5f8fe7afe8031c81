/**
 * Test helpers: Debian's nginx run unprivileged-style from a temporary prefix (no root-owned paths),
 * in front of processes the test started itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadNginxSettings, renderNginxConfig, templatePath } from './render.ts'

export const nginxBinary =
  ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find(existsSync) ?? 'nginx'

/** The local nginx version, e.g. [1, 22, 1], so the rendered syntax matches what it supports. */
export function localNginxVersion(): string {
  const result = Bun.spawnSync([nginxBinary, '-v'], { stderr: 'pipe' })
  const match = /nginx\/(\d+\.\d+\.\d+)/.exec(result.stderr.toString())
  if (!match) throw new Error(`cannot read the nginx version: ${result.stderr.toString()}`)
  return match[1]!
}

/**
 * Writes a main nginx.conf under `prefix` that includes the rendered site file, with every path
 * (pid, temp dirs, logs) inside the prefix and the master in the foreground.
 */
export function writeMainConfig(prefix: string, sitePath: string): string {
  for (const dir of ['logs', 'temp/body', 'temp/proxy', 'temp/fastcgi', 'temp/uwsgi', 'temp/scgi']) {
    mkdirSync(join(prefix, dir), { recursive: true })
  }
  const mimeTypes = ['/etc/nginx/mime.types'].find(existsSync)
  const path = join(prefix, 'nginx.conf')
  writeFileSync(
    path,
    [
      // As root (CI containers) the workers would drop to nobody and could not read the 0700 temp dirs.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      'daemon off;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'logs/error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      mimeTypes
        ? `  include ${mimeTypes};`
        : '  types { text/html html; text/css css; application/javascript js; application/json json; }',
      '  default_type application/octet-stream;',
      `  client_body_temp_path ${join(prefix, 'temp/body')};`,
      `  proxy_temp_path ${join(prefix, 'temp/proxy')};`,
      `  fastcgi_temp_path ${join(prefix, 'temp/fastcgi')};`,
      `  uwsgi_temp_path ${join(prefix, 'temp/uwsgi')};`,
      `  scgi_temp_path ${join(prefix, 'temp/scgi')};`,
      `  include ${sitePath};`,
      '}',
      '',
    ].join('\n'),
  )
  return path
}

/** `nginx -t` on a config under `prefix`; returns the exit code and everything nginx printed. */
export function testNginxConfig(prefix: string, configPath: string): { exitCode: number; output: string } {
  const result = Bun.spawnSync([nginxBinary, '-t', '-p', `${prefix}/`, '-e', 'stderr', '-c', configPath], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  return { exitCode: result.exitCode, output: result.stdout.toString() + result.stderr.toString() }
}

/**
 * Starts nginx in the foreground as a child, registered in `children` at once (so the caller's
 * afterAll stops it even when it never answers); resolves once `url` answers (any status).
 * Startup errors go to <prefix>/logs/error.log, never to the test runner's own output.
 */
export async function startNginx(
  prefix: string,
  configPath: string,
  url: string,
  children: Bun.Subprocess[],
  timeoutMs = 10_000,
): Promise<Bun.Subprocess> {
  const errorLog = join(prefix, 'logs/error.log')
  const child = Bun.spawn([nginxBinary, '-p', `${prefix}/`, '-e', errorLog, '-c', configPath], {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'ignore',
  })
  children.push(child)
  try {
    await waitForHttp(url, timeoutMs, child)
  } catch (error) {
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '(no error log)'
    throw new Error(`${(error as Error).message}\nnginx error log:\n${log}`)
  }
  return child
}

/** Polls `url` until it answers (any status), the child exits, or the time runs out. */
export async function waitForHttp(url: string, timeoutMs: number, child?: Bun.Subprocess): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError = ''
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before ${url} answered`)
    try {
      await fetch(url, {
        signal: AbortSignal.timeout(1000),
        redirect: 'manual',
        tls: { rejectUnauthorized: false },
      })
      return
    } catch (error) {
      lastError = (error as Error).message
    }
    await Bun.sleep(50)
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`)
}

/** A TCP port that was free a moment ago (for processes that cannot be told to use port 0). */
export function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = server
  server.stop(true)
  return port
}

/** A self-signed certificate for `name` (nginx -t and the HTTPS test need real files). */
export function writeSelfSignedCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, 'fullchain.pem')
  const key = join(dir, 'privkey.pem')
  const result = Bun.spawnSync(
    [
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  )
  if (result.exitCode !== 0) throw new Error(`openssl failed: ${result.stderr.toString()}`)
  return { cert, key }
}

/**
 * Renders the production template under `prefix` for the local nginx (its version, loopback, paths
 * under `work`) with `env` on top, writes the main config and checks it with `nginx -t` (warnings fail).
 * Returns the main config's path.
 */
export async function renderSite(prefix: string, work: string, env: Record<string, string>): Promise<string> {
  mkdirSync(prefix, { recursive: true })
  const settings = loadNginxSettings({
    NGINX_VERSION: localNginxVersion(),
    NGINX_LISTEN_HOST: '127.0.0.1',
    NGINX_ACCESS_LOG: join(prefix, 'access.log'),
    NGINX_ACME_ROOT: join(work, 'acme'),
    NGINX_WEB_ROOT: join(work, 'web'),
    ...env,
  })
  const site = join(prefix, 'assembly.conf')
  writeFileSync(site, renderNginxConfig(await Bun.file(templatePath).text(), settings))
  const main = writeMainConfig(prefix, site)
  const check = testNginxConfig(prefix, main)
  if (check.exitCode !== 0 || /\[(warn|emerg|alert)\]/.test(check.output)) {
    throw new Error(`nginx -t failed:\n${check.output}`)
  }
  return main
}
