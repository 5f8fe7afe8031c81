/**
 * The vote batch writer alone, as its own process (`bun realtime/writer.ts`): for deployments that
 * scale it apart from the WebSocket nodes, and for the fault tests that kill it mid-ingest.
 * Options from the environment: VOTE_BATCH_SIZE (default 1000), VOTE_BATCH_WAIT_MS (20),
 * VOTE_CLAIM_IDLE_MS (30000).
 */
import { runProcess } from '../core/process.ts'
import { createVoteWriter } from '../core/votes/writer.ts'

await runProcess('vote-writer', async ({ config, log, platform }) => {
  const writer = createVoteWriter({
    bus: platform.bus,
    db: platform.database.db,
    log,
    batchSize: config.votes.batchSize,
    maxWaitMs: config.votes.batchWaitMs,
    claimIdleMs: config.votes.claimIdleMs,
  })
  writer.start()
  log.info('vote writer running', { consumer: writer.consumer })
  return () => writer.stop()
})
