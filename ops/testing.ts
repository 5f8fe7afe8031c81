/**
 * Helpers for the ops tests: child processes that are always stopped (with their own children, by
 * process id), output matching with a deadline, and uniquely named scratch databases on the shared
 * PostgreSQL that are always dropped.
 */
import { readdirSync, readFileSync } from 'node:fs'
import postgres from 'postgres'

export const repoRoot = `${import.meta.dir}/..`

/** Direct children of `pid`, read from /proc (nginx workers, for instance). */
export function childPidsOf(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // Field 4 of /proc/<pid>/stat is the parent id; the command name (field 2) may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (parent === pid) children.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return children
}

/**
 * Stops a child: SIGTERM, then SIGKILL (to it and the children it had) when it has not exited in
 * `timeoutMs`. Never touches anything this test did not start.
 */
export async function stopProcess(child: Bun.Subprocess, timeoutMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const children = childPidsOf(child.pid)
  child.kill('SIGTERM')
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(timeoutMs).then(() => false)])
  if (!exited) child.kill('SIGKILL')
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Reads `stream` until `pattern` matches, or throws with everything read so far after `timeoutMs`. */
export async function readUntil(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const deadline = Date.now() + timeoutMs
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => null)])
      if (!chunk || chunk.done) break
      text += decoder.decode(chunk.value)
      const match = pattern.exec(text)
      if (match) return match
    }
  } finally {
    reader.releaseLock()
  }
  throw new Error(`did not see ${pattern} in time; output so far:\n${text}`)
}

/** Runs a command to completion with a deadline; returns its exit code and output. */
export async function run(
  command: string[],
  options: {
    cwd?: string
    env?: Record<string, string | undefined>
    timeoutMs?: number
    stdin?: string
  } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(command, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    stdin: options.stdin === undefined ? 'ignore' : new TextEncoder().encode(options.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  clearTimeout(timer)
  return { exitCode, stdout, stderr }
}

/** The shared PostgreSQL the tests may use: DATABASE_URL, else the local trust default. */
export const adminDatabaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** `postgres://…/<name>` on the same server as `adminDatabaseUrl`. */
export function databaseUrlFor(name: string): string {
  const url = new URL(adminDatabaseUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** libpq variables (PGHOST…) for `name` on the shared server, for the bash scripts. */
export function libpqEnv(name: string): Record<string, string> {
  const url = new URL(adminDatabaseUrl)
  const env: Record<string, string> = {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || 'postgres',
    PGDATABASE: name,
  }
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password)
  return env
}

/** A new scratch database holding the demo PH (`bun db/seed.ts`, as an operator would seed it); its name. */
export async function createSeededDatabase(databases: { create(suffix?: string): Promise<string> }) {
  const name = await databases.create()
  const seeded = await run(['bun', 'db/seed.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrlFor(name),
      LOG_LEVEL: 'warn',
    },
  })
  if (seeded.exitCode !== 0) throw new Error(`seed failed: ${seeded.stderr}`)
  return name
}

/**
 * Creates uniquely named databases with a common prefix and drops every database with that prefix
 * on `dropAll` (also the ones the scripts under test created from it).
 */
export function createScratchDatabases(label: string) {
  const prefix = `ops_${label}_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 6)}`
  const admin = postgres(adminDatabaseUrl, { max: 1, onnotice: () => {} })
  return {
    prefix,
    async create(suffix = 'main'): Promise<string> {
      const name = `${prefix}_${suffix}`
      await admin.unsafe(`create database "${name}"`)
      return name
    },
    async list(): Promise<string[]> {
      const rows = await admin`select datname from pg_database where datname like ${`${prefix}%`} order by 1`
      return rows.map((row) => row.datname as string)
    },
    async count(database: string, table: string): Promise<number> {
      const client = postgres(databaseUrlFor(database), { max: 1, onnotice: () => {} })
      try {
        const [row] = await client.unsafe(`select count(*)::int as n from "${table}"`)
        return row?.n as number
      } finally {
        await client.end({ timeout: 5 })
      }
    },
    async dropAll(): Promise<void> {
      for (const name of await this.list()) {
        await admin.unsafe(`drop database if exists "${name}" with (force)`)
      }
      await admin.end({ timeout: 5 })
    },
  }
}
