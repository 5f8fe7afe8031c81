import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, renderSite, startNginx } from '../../ops/nginx/testing.ts'
import { stopProcess } from '../../ops/testing.ts'
import { startStack } from './stack.ts'

/**
 * The browser-test stack behind the production nginx site (ops/nginx, plain-HTTP mode on loopback):
 * pages, /api and /ws all go through nginx at `origin`, which serves web/dist itself. The processes
 * believe X-Forwarded-For only from nginx's address (TRUSTED_PROXIES), so every client's address is
 * the one nginx saw. `env` overrides the processes' configuration, `nginxEnv` the site's settings.
 */
export async function startStackBehindNginx(
  env: Record<string, string> = {},
  nginxEnv: Record<string, string> = {},
) {
  const port = freePort()
  const origin = `http://localhost:${port}`
  const stack = await startStack({
    PUBLIC_URL: origin,
    REALTIME_PUBLIC_URL: `ws://localhost:${port}/ws`,
    TRUSTED_PROXIES: '127.0.0.1/32',
    ...env,
  })
  const work = mkdtempSync(join(tmpdir(), 'assembly-meeting-nginx-'))
  const children: Bun.Subprocess[] = []
  const prefix = join(work, 'nginx')
  try {
    const main = await renderSite(prefix, work, {
      NGINX_MODE: 'http',
      NGINX_HTTP_PORT: String(port),
      NGINX_WEB_ROOT: join(import.meta.dir, '..', 'dist'),
      FUNCTIONS_UPSTREAMS: `127.0.0.1:${stack.functionsPort}`,
      REALTIME_UPSTREAMS: `127.0.0.1:${stack.realtimePort}`,
      ...nginxEnv,
    })
    await startNginx(prefix, main, `http://127.0.0.1:${port}/api/health`, children)
  } catch (error) {
    await Promise.all(children.map((child) => stopProcess(child)))
    await stack.stop()
    rmSync(work, { recursive: true, force: true })
    throw error
  }
  return {
    ...stack,
    /** The same origin on 127.0.0.1, for Bun's fetch (nginx listens on IPv4 loopback only). */
    ipOrigin: `http://127.0.0.1:${port}`,
    /** nginx's access log: one JSON line per request (status, remote address, upstream). */
    accessLog: () => readFile(join(prefix, 'access.log'), 'utf8').catch(() => ''),
    async stop() {
      await Promise.all(children.map((child) => stopProcess(child)))
      await stack.stop()
      rmSync(work, { recursive: true, force: true })
    },
  }
}

export type NginxStack = Awaited<ReturnType<typeof startStackBehindNginx>>
