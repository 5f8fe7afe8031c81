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
  // A port found free can be taken by another test's process before nginx binds it (nginx then exits
  // while the other process answers): start again on a new port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, nginxEnv)
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(env: Record<string, string>, nginxEnv: Record<string, string>) {
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
    const nginx = await startNginx(prefix, main, `http://127.0.0.1:${port}/api/health`, children)
    // Only this nginx answers its own health path with "ok" (and it is still running).
    await Bun.sleep(200)
    const health = await fetch(`http://127.0.0.1:${port}/nginx-health`).then((r) => r.text(), String)
    if (nginx.exitCode !== null || health !== 'ok\n')
      throw new PortTakenError(`port ${port} is not our nginx`)
  } catch (error) {
    // nginx exits at once when it cannot bind its port.
    const exited = children.some((child) => child.exitCode !== null)
    await Promise.all(children.map((child) => stopProcess(child)))
    await stack.stop()
    rmSync(work, { recursive: true, force: true })
    throw exited ? new PortTakenError(`nginx could not start on port ${port}: ${error}`) : error
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
