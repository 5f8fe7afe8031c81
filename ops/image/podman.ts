/**
 * Building and running the production image with podman where there is no Docker engine (CI): a private
 * podman configuration (vfs storage under a cache directory, runc, cgroupfs, no raised ulimits), the
 * stand-in `oven/bun` base image (ops/image/bun-base.sh) and the Dockerfile's `release` target built
 * unchanged. The cache directory keeps the base image and the build cache between runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, run } from '../testing.ts'

export const cacheDir = process.env.ASSEMBLY_IMAGE_CACHE ?? join(homedir(), '.cache', 'assembly-image')

/** Environment for every podman call: the private configuration files under the cache directory. */
export function podmanEnv(): Record<string, string> {
  mkdirSync(cacheDir, { recursive: true })
  const storage = join(cacheDir, 'storage.conf')
  const containers = join(cacheDir, 'containers.conf')
  writeFileSync(
    storage,
    `[storage]\ndriver = "vfs"\nrunroot = "${join(cacheDir, 'run')}"\ngraphroot = "${join(cacheDir, 'storage')}"\n`,
  )
  // No default ulimits: root in a CI container cannot raise nofile/nproc above the host's.
  writeFileSync(
    containers,
    '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n',
  )
  return {
    ...(process.env as Record<string, string>),
    CONTAINERS_CONF: containers,
    CONTAINERS_STORAGE_CONF: storage,
  }
}

export const podman = (args: string[], timeoutMs = 60_000) =>
  run(['podman', ...args], { env: podmanEnv(), timeoutMs })

/** Why the image test cannot run here, or null when it can. */
export async function podmanUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return 'not Linux'
  if (process.getuid?.() !== 0) return 'not root (debootstrap and rootful podman need it)'
  for (const tool of ['podman', 'runc', 'debootstrap']) {
    if (!Bun.which(tool, { PATH: `${process.env.PATH}:/usr/sbin:/sbin` })) return `${tool} is not installed`
  }
  try {
    // Waits for the storage lock while another build or run holds it.
    const info = await podman(['info', '--format', '{{.Host.OCIRuntime.Name}}'], 300_000)
    if (info.exitCode !== 0)
      return `podman info failed (exit ${info.exitCode}): ${info.stderr.trim().split('\n').at(-1) || 'no message'}`
  } catch (error) {
    return `podman info failed: ${(error as Error).message}`
  }
  return null
}

/** The base image the Dockerfile's stages start FROM, e.g. docker.io/oven/bun:1.4-slim. */
export function dockerfileBaseImage(): string {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
  const bunVersion = /^ARG BUN_VERSION=(\S+)$/m.exec(dockerfile)?.[1]
  const from = /^FROM (oven\/bun:\S+) AS release$/m.exec(dockerfile)?.[1]
  if (!bunVersion || !from) throw new Error('Dockerfile: no ARG BUN_VERSION or FROM oven/bun … AS release')
  return `docker.io/${from.replace(/\$\{BUN_VERSION\}/, bunVersion)}`
}

/** Makes (or finds in the cache) the stand-in base image for this Bun version. */
export async function ensureBaseImage(): Promise<void> {
  const result = await run(
    [
      'bash',
      join(repoRoot, 'ops/image/bun-base.sh'),
      '--tag',
      dockerfileBaseImage(),
      '--bun-version',
      Bun.version,
      '--cache',
      cacheDir,
    ],
    { env: podmanEnv(), timeoutMs: 15 * 60_000 },
  )
  if (result.exitCode !== 0) throw new Error(`bun-base.sh failed:\n${result.stderr}`)
}

/** Builds the Dockerfile's `target` as `tag`, unchanged (docker format, so HEALTHCHECK is kept). */
export async function buildImage(tag: string, target = 'release'): Promise<{ seconds: number }> {
  const started = performance.now()
  const result = await podman(
    [
      'build',
      '--format',
      'docker',
      '--isolation',
      'chroot',
      '--network',
      'host',
      '--pull-never',
      '--target',
      target,
      '-t',
      tag,
      repoRoot,
    ],
    30 * 60_000,
  )
  if (result.exitCode !== 0)
    throw new Error(`podman build failed:\n${result.stdout.slice(-4000)}${result.stderr}`)
  return { seconds: (performance.now() - started) / 1000 }
}

export interface ImageConfig {
  sizeBytes: number
  user: string
  healthcheck: string[]
}

export async function inspectImage(tag: string): Promise<ImageConfig> {
  const result = await podman(['image', 'inspect', tag])
  if (result.exitCode !== 0) throw new Error(`podman image inspect: ${result.stderr}`)
  const [image] = JSON.parse(result.stdout) as {
    Size: number
    Config: { User?: string }
    Healthcheck?: { Test?: string[] }
  }[]
  return {
    sizeBytes: image!.Size,
    user: image!.Config.User ?? '',
    healthcheck: image!.Healthcheck?.Test ?? [],
  }
}

export interface ContainerSpec {
  name: string
  image: string
  command: string[]
  env: Record<string, string>
  user: string
  capDrop: string[]
  securityOpt: string[]
  memory: string
  volumes: string[]
  init: boolean
}

const RUN_TIMEOUT_MS = 300_000

/** `podman run -d` with the options compose would pass; host network (free ports chosen by the test). */
export async function runContainer(spec: ContainerSpec): Promise<void> {
  const args = ['run', '-d', '--name', spec.name, '--network', 'host', '--user', spec.user]
  args.push('--memory', spec.memory, '--no-healthcheck')
  for (const cap of spec.capDrop) args.push('--cap-drop', cap)
  for (const option of spec.securityOpt) args.push('--security-opt', option.replace(/:true$/, ''))
  for (const volume of spec.volumes) args.push('--volume', volume)
  if (spec.init) args.push('--init')
  for (const [key, value] of Object.entries(spec.env)) args.push('--env', `${key}=${value}`)
  args.push(spec.image, ...spec.command)
  // vfs copies the image's whole file system for each new container: minutes on a loaded machine.
  const result = await podman(args, RUN_TIMEOUT_MS)
  if (result.exitCode !== 0) {
    const why =
      result.stderr.trim() || (result.exitCode === 137 ? `killed after ${RUN_TIMEOUT_MS / 1000} s` : '')
    throw new Error(`podman run ${spec.name} failed (exit ${result.exitCode}): ${why || 'no message'}`)
  }
}

export async function containerState(name: string): Promise<{ running: boolean; exitCode: number }> {
  const result = await podman(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', name])
  const [running, exitCode] = result.stdout.trim().split(' ')
  return { running: running === 'true', exitCode: Number(exitCode) }
}

export async function containerLogs(name: string): Promise<string> {
  const result = await podman(['logs', name])
  return result.stdout + result.stderr
}

/** Waits for a one-shot container to exit; returns its exit code. */
export async function waitExit(name: string, timeoutMs = 120_000): Promise<number> {
  const result = await podman(['wait', name], timeoutMs)
  return Number(result.stdout.trim())
}

export async function removeContainers(names: string[]): Promise<void> {
  const existing = names.filter(Boolean)
  if (existing.length > 0) await podman(['rm', '-f', '-t', '2', ...existing], 120_000)
}

export const imageCacheExists = () => existsSync(join(cacheDir, 'storage'))
