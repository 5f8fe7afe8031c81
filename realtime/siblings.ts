import type { Subprocess } from 'bun'
import type { Logger } from '../core/log.ts'

/*
 * REALTIME_PROCESSES > 1: the first realtime process starts the others as its children, all bound to
 * the same port with SO_REUSEPORT, so the kernel spreads WebSocket connections over the VPS's cores.
 * Only the first runs the vote writer. A sibling that dies is started again; a sibling whose parent
 * died (SIGKILL, OOM) exits on its own rather than keep the port from the parent's replacement.
 */

const SIBLING_ENV = 'REALTIME_SIBLING_OF'
const RESTART_DELAY_MS = 1000
const STOP_GRACE_MS = 30_000

/** Whether this process was started by another realtime process (and so must not start more). */
export function isSibling(env: Record<string, string | undefined> = process.env): boolean {
  const parent = env[SIBLING_ENV]
  if (!parent) return false
  watchParent(Number(parent))
  return true
}

function watchParent(parentPid: number): void {
  const timer = setInterval(() => {
    if (process.ppid !== parentPid) {
      console.error(JSON.stringify({ level: 'warn', msg: 'realtime parent gone; sibling exits', parentPid }))
      process.exit(0)
    }
  }, 1000)
  timer.unref()
}

export interface Siblings {
  readonly pids: number[]
  stop(): Promise<void>
}

/** Starts `count` copies of this process's command as siblings and keeps them running until `stop`. */
export function startSiblings(options: {
  count: number
  log: Logger
  command?: string[]
  env?: Record<string, string | undefined>
}): Siblings {
  const command = options.command ?? [process.execPath, ...process.argv.slice(1)]
  const env = { ...(options.env ?? process.env), [SIBLING_ENV]: String(process.pid) }
  const running = new Map<number, Subprocess>()
  let stopping = false
  const start = (slot: number) => {
    const child = Bun.spawn(command, { env, stdin: 'ignore', stdout: 'inherit', stderr: 'inherit' })
    running.set(slot, child)
    options.log.info('realtime sibling started', { slot, pid: child.pid })
    void child.exited.then((code) => {
      if (stopping) return
      options.log.warn('realtime sibling exited; starting it again', { slot, pid: child.pid, code })
      setTimeout(() => !stopping && start(slot), RESTART_DELAY_MS)
    })
  }
  for (let slot = 1; slot <= options.count; slot++) start(slot)
  return {
    get pids() {
      return [...running.values()].map((child) => child.pid)
    },
    async stop() {
      stopping = true
      const children = [...running.values()]
      for (const child of children) child.kill('SIGTERM')
      const killer = setTimeout(() => {
        for (const child of children) child.kill('SIGKILL')
      }, STOP_GRACE_MS)
      await Promise.all(children.map((child) => child.exited))
      clearTimeout(killer)
    },
  }
}
