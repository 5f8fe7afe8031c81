/**
 * A local S3-compatible server for the offsite backup tests: s3rver (npm) speaks the S3 REST protocol
 * on a free port of 127.0.0.1 with its objects in a temporary directory, so the real aws CLI the
 * backup script uses talks to it exactly as it would to Hetzner, Backblaze or AWS.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver'

export interface LocalS3 {
  /** http://127.0.0.1:<port>, for BACKUP_S3_ENDPOINT and `aws --endpoint-url`. */
  endpoint: string
  /** Credentials s3rver accepts, for the aws CLI's environment. */
  credentials: Record<string, string>
  stop(): Promise<void>
}

export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'assembly-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  })
  const { port } = (await server.run()) as { port: number }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_DEFAULT_REGION: 'us-east-1',
      // One attempt: a refused upload fails at once instead of after the CLI's retries.
      AWS_MAX_ATTEMPTS: '1',
      // The CLI must not read the machine's own profiles.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    async stop() {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}

/** Fails with the reason when the aws CLI is missing (ops/ci/install-tools.sh installs it). */
export function requireAwsCli(): void {
  if (!Bun.which('aws')) {
    throw new Error('the aws CLI is not installed: run ops/ci/install-tools.sh (Debian package awscli)')
  }
}
