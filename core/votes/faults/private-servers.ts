import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import postgres from 'postgres'
import { type DatabaseHandle, openDatabase } from '../../../db/client.ts'

/*
 * Private Redis and PostgreSQL servers for the fault tests: the shared servers (127.0.0.1:5432 and
 * :6379) serve every other test and CI, so a test that kills or restarts a server starts its own, on
 * a free port of 127.0.0.1 with its data in a temporary directory, and removes both when it ends.
 * A missing binary fails loudly: these tests are never skipped.
 */

const isRoot = process.getuid?.() === 0

/** A TCP port of 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = listener
  listener.stop(true)
  return port
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await Bun.sleep(25)
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

// Processes to kill if the test process exits without running afterAll (a crash, a bail).
const exitCleanups = new Set<() => void>()
process.on('exit', () => {
  for (const cleanup of exitCleanups) {
    try {
      cleanup()
    } catch {}
  }
})

// ---------------------------------------------------------------------------------------------
// Redis

export interface PrivateRedis {
  readonly port: number
  readonly url: string
  readonly dir: string
  /** Starts (or restarts) the server on the same port and directory; resolves once it answers PING. */
  start(): Promise<void>
  /** SIGKILL: no shutdown, no final AOF flush or fsync, exactly what a crash does to the process. */
  kill(): Promise<void>
  /** Kills the server and removes its directory. */
  stop(): Promise<void>
}

function redisBinary(): string {
  const bin = process.env.REDIS_SERVER_BIN ?? Bun.which('redis-server')
  if (!bin || !existsSync(bin)) {
    throw new Error(
      'redis-server not found (PATH or REDIS_SERVER_BIN): the vote-path fault tests start a private ' +
        'Redis and cannot run without it (e.g. apt-get install redis-server)',
    )
  }
  return bin
}

/** Answers true when the server replies +PONG (not -LOADING while it replays the AOF). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = ''
    const timer = setTimeout(() => resolve(false), 500)
    Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(socket) {
          socket.write('PING\r\n')
        },
        data(socket, data) {
          reply += data.toString()
          if (reply.includes('\r\n')) {
            clearTimeout(timer)
            socket.end()
            resolve(reply.startsWith('+PONG'))
          }
        },
        error() {
          clearTimeout(timer)
          resolve(false)
        },
        connectError() {
          clearTimeout(timer)
          resolve(false)
        },
      },
    }).catch(() => {
      clearTimeout(timer)
      resolve(false)
    })
  })
}

/**
 * A private redis-server with the production persistence settings of the vote path: AOF on,
 * `appendfsync everysec`, no RDB snapshots. Started before it resolves (on another free port if the
 * one picked was taken in the meantime).
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const bin = redisBinary()
  for (let attempt = 1; ; attempt++) {
    const server = createPrivateRedis(bin, await freePort())
    try {
      await server.start()
      return server
    } catch (error) {
      await server.stop()
      if (attempt >= 3) throw error
    }
  }
}

function createPrivateRedis(bin: string, port: number): PrivateRedis {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-faults-redis-'))
  const logFile = join(dir, 'redis.log')
  let proc: Bun.Subprocess | null = null
  const running = () => proc !== null && proc.exitCode === null && proc.signalCode === null
  const killNow = () => {
    if (running()) proc!.kill('SIGKILL')
  }
  exitCleanups.add(killNow)
  const server: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async start() {
      if (running()) throw new Error('redis-server is already running')
      const started = Bun.spawn(
        [
          bin,
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'everysec',
          '--save',
          '',
          '--daemonize',
          'no',
          '--logfile',
          logFile,
        ],
        { stdout: 'ignore', stderr: 'ignore', stdin: 'ignore' },
      )
      proc = started
      await waitFor(
        `redis-server on port ${port}`,
        async () => {
          if (started.exitCode !== null) {
            const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5) : []
            throw new Error(`redis-server exited with ${started.exitCode}: ${log.join(' | ')}`)
          }
          // The server answering must be ours: still running after it answered.
          return (await redisPing(port)) && started.exitCode === null
        },
        15_000,
      )
    },
    async kill() {
      if (!proc) return
      killNow()
      await proc.exited
    },
    async stop() {
      await server.kill()
      exitCleanups.delete(killNow)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return server
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface PrivatePostgres {
  readonly port: number
  /** Directory of the server binaries (initdb, pg_ctl, psql). */
  readonly binDir: string
  /** URL of the `postgres` maintenance database (superuser `postgres`, trust authentication). */
  readonly url: string
  /** Starts (or restarts) the cluster; resolves when it accepts connections. */
  start(): Promise<void>
  /**
   * `pg_ctl stop -m immediate`: every server process quits at once without a checkpoint, as in a
   * crash; the next start replays the WAL. Committed transactions survive (their WAL was written
   * before the commit was acknowledged).
   */
  crash(): Promise<void>
  /** Stops the cluster and removes its directory. */
  stop(): Promise<void>
}

export function postgresBinDir(): string {
  const candidates = [
    process.env.PG_BIN_DIR,
    ...['17', '16', '15', '14', '13'].map((version) => `/usr/lib/postgresql/${version}/bin`),
    Bun.which('initdb') ? dirname(Bun.which('initdb')!) : undefined,
  ]
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) not found in PG_BIN_DIR, /usr/lib/postgresql/*/bin or ' +
      'PATH: the vote-path fault tests start a private cluster and cannot run without them',
  )
}

function postgresUid(): { uid: number; gid: number } {
  const uid = Bun.spawnSync(['id', '-u', 'postgres'])
  const gid = Bun.spawnSync(['id', '-g', 'postgres'])
  if (uid.exitCode !== 0 || gid.exitCode !== 0) {
    throw new Error('running as root, but there is no "postgres" OS user to run initdb and postgres as')
  }
  return { uid: Number(uid.stdout.toString().trim()), gid: Number(gid.stdout.toString().trim()) }
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` OS user. */
function asPostgresUser(command: string[]): string[] {
  return isRoot ? ['runuser', '-u', 'postgres', '--', ...command] : command
}

async function run(command: string[], what: string): Promise<void> {
  const proc = Bun.spawn(asPostgresUser(command), { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  if (code !== 0) throw new Error(`${what} failed (exit ${code}): ${stderr || stdout}`)
}

/**
 * A private PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only (socket in the
 * same directory). fsync is off: that only matters for an OS crash, never for the process crashes
 * these tests cause (WAL is still written before every commit is acknowledged).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir()
  const root = mkdtempSync(join(tmpdir(), 'assembly-faults-pg-'))
  const data = join(root, 'data')
  if (isRoot) {
    const { uid, gid } = postgresUid()
    chownSync(root, uid, gid)
  }
  let port = await freePort()
  const pgCtl = join(bin, 'pg_ctl')
  const stopSync = (mode: 'fast' | 'immediate') =>
    Bun.spawnSync(asPostgresUser([pgCtl, 'stop', '-D', data, '-m', mode, '-w', '-t', '20']), {
      stdout: 'ignore',
      stderr: 'ignore',
    })
  const exitCleanup = () => {
    if (existsSync(join(data, 'postmaster.pid'))) stopSync('immediate')
  }
  exitCleanups.add(exitCleanup)
  const options = () =>
    [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-k ${root}`,
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=60',
      '-c shared_buffers=32MB',
    ].join(' ')
  const logFile = join(root, 'postgres.log')
  const server: PrivatePostgres = {
    get port() {
      return port
    },
    binDir: bin,
    get url() {
      return `postgres://postgres@127.0.0.1:${port}/postgres`
    },
    async start() {
      try {
        await run(
          [pgCtl, 'start', '-D', data, '-w', '-t', '30', '-l', logFile, '-o', options()],
          'pg_ctl start',
        )
      } catch (error) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5) : []
        throw new Error(`${(error as Error).message}\n${log.join('\n')}`)
      }
    },
    async crash() {
      await run([pgCtl, 'stop', '-D', data, '-m', 'immediate', '-w', '-t', '20'], 'pg_ctl stop -m immediate')
    },
    async stop() {
      if (existsSync(join(data, 'postmaster.pid'))) stopSync('immediate')
      exitCleanups.delete(exitCleanup)
      rmSync(root, { recursive: true, force: true })
    },
  }
  try {
    await run(
      [
        join(bin, 'initdb'),
        '-D',
        data,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      'initdb',
    )
    // Another process may take the free port before the server binds it: then try another one.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start()
        break
      } catch (error) {
        if (attempt >= 3) throw error
        port = await freePort()
      }
    }
  } catch (error) {
    await server.stop()
    throw error
  }
  return server
}

// ---------------------------------------------------------------------------------------------
// Databases

export interface FaultDatabase {
  /** URL of the fresh, migrated database. */
  url: string
  /** A pool on it as the owner (no application role), for the test's own service and checks. */
  handle: DatabaseHandle
  /** Closes the pool and drops the database (and stops the private cluster, if one was started). */
  close(): Promise<void>
}

/** A fresh database on the given server, migrated; dropped by `close`. */
export async function createFreshDatabase(serverUrl: string, poolSize = 10): Promise<FaultDatabase> {
  const name = `faults_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  await admin.unsafe(`create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.toString(), poolSize, appRole: null })
  await handle.migrate()
  return {
    url: url.toString(),
    handle,
    close: async () => {
      await handle.close().catch(() => {})
      await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {})
      await admin.end({ timeout: 5 })
    },
  }
}

/**
 * The database of a test file that does not restart PostgreSQL: a fresh database on the shared server
 * when DATABASE_URL is set (CI), otherwise on a private cluster started for the file.
 */
export async function databaseForFaultTest(): Promise<FaultDatabase> {
  const shared = process.env.DATABASE_URL
  if (shared) return createFreshDatabase(shared)
  const cluster = await startPrivatePostgres()
  try {
    const database = await createFreshDatabase(cluster.url)
    return {
      ...database,
      close: async () => {
        await database.close().catch(() => {})
        await cluster.stop()
      },
    }
  } catch (error) {
    await cluster.stop()
    throw error
  }
}

export interface FaultRedis {
  url: string
  /** Deletes the keys under `prefix` (shared server) or stops the private server. */
  close(): Promise<void>
}

/**
 * The Redis of a test file that does not restart Redis: the shared server when REDIS_URL is set (CI),
 * with every key under `prefix` deleted at the end, otherwise a private server started for the file.
 */
export async function redisForFaultTest(prefix: string): Promise<FaultRedis> {
  const shared = process.env.REDIS_URL
  if (!shared) {
    const server = await startPrivateRedis()
    return { url: server.url, close: () => server.stop() }
  }
  return {
    url: shared,
    close: async () => {
      const { default: Redis } = await import('ioredis')
      const admin = new Redis(shared, { maxRetriesPerRequest: 1 })
      try {
        let cursor = '0'
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
          cursor = next
          if (keys.length > 0) await admin.del(...keys)
        } while (cursor !== '0')
      } finally {
        admin.disconnect()
      }
    },
  }
}

export interface PsqlSession {
  /** Sends statements and waits until `marker` appears in psql's output (e.g. from `select 'marker'`). */
  run(statements: string, marker: string, timeoutMs?: number): Promise<void>
  /** Ends the session (its open transaction, if any, rolls back). */
  close(): Promise<void>
}

/**
 * An interactive psql session in a process of its own: it can hold a lock across a server crash
 * without involving the test's own client library.
 */
export async function openPsql(binDir: string, url: string): Promise<PsqlSession> {
  const psql = join(binDir, 'psql')
  if (!existsSync(psql)) throw new Error(`psql not found in ${binDir}`)
  const proc = Bun.spawn([psql, '-X', '-q', '-A', '-t', url], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let output = ''
  void (async () => {
    const decoder = new TextDecoder()
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) output += decoder.decode(chunk)
  })().catch(() => {})
  void new Response(proc.stderr as ReadableStream).text().catch(() => '')
  return {
    async run(statements, marker, timeoutMs = 10_000) {
      proc.stdin.write(`${statements}\n`)
      proc.stdin.flush()
      await waitFor(
        `psql to print ${marker}`,
        async () => {
          if (proc.exitCode !== null) throw new Error(`psql exited with ${proc.exitCode}`)
          return output.includes(marker)
        },
        timeoutMs,
      )
    },
    async close() {
      try {
        proc.stdin.end()
      } catch {}
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(2000).then(() => false)])
      if (!exited) {
        proc.kill('SIGKILL')
        await proc.exited
      }
    },
  }
}
