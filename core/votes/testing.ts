import { afterAll, beforeAll } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import type { Bus } from '../bus/types.ts'
import { silentLogger } from '../log.ts'
import { createVoteQueue, type VoteQueue } from './queue.ts'
import { createVoteService, type VoteService } from './service.ts'
import { createVoteWriter, type VoteWriter } from './writer.ts'

/**
 * For a test file about votes: before its tests, the vote path as production wires it (service →
 * queue on the bus → writer, batches of at most 5 ms) over a test database and bus; after them, all
 * stopped. The fields are set once the file's `beforeAll` hooks have run.
 */
export function votePathFixture() {
  const fixture = {} as {
    handle: DatabaseHandle
    bus: Bus
    queue: VoteQueue
    service: VoteService
    writer: VoteWriter
  }
  beforeAll(async () => {
    fixture.handle = await createTestDatabase()
    fixture.bus = createTestBus()
    fixture.queue = createVoteQueue(fixture.bus)
    fixture.service = createVoteService({
      db: fixture.handle.db,
      bus: fixture.bus,
      queue: fixture.queue,
      log: silentLogger,
    })
    fixture.writer = createVoteWriter({
      bus: fixture.bus,
      db: fixture.handle.db,
      log: silentLogger,
      maxWaitMs: 5,
    })
  })
  afterAll(async () => {
    await fixture.writer?.stop()
    await fixture.bus?.close()
    await fixture.handle?.close()
  })
  return fixture
}
