import type { Bus } from '../core/bus/index.ts'
import { BATCH_SIZE_BUCKETS, createProcessRegistry } from '../core/metrics.ts'
import { VOTE_STREAM } from '../core/votes/queue.ts'
import { type VoteWriter, WRITER_GROUP } from '../core/votes/writer.ts'
import type { TallyHub } from './hub.ts'

/**
 * The realtime process's Prometheus metrics: the standard process ones, sockets and their sends, the
 * vote queue, and (through `observe`) the tally hub and the vote writer once they exist.
 */
export function createRealtimeMetrics(deps: { bus: Bus; connections: () => number }) {
  const { bus } = deps
  const registry = createProcessRegistry('realtime')
  const batchSizes = registry.histogram(
    'vote_batch_size',
    'Ballots per committed writer batch',
    BATCH_SIZE_BUCKETS,
  )
  registry.gauge('ws_connections', 'Open WebSocket connections', deps.connections)
  const droppedSends = registry.counter(
    'ws_dropped_sends_total',
    'Messages dropped for slow or closing sockets',
  )
  const backpressuredSends = registry.counter(
    'ws_backpressured_sends_total',
    'Sends queued under backpressure',
  )
  const votesAccepted = registry.counter(
    'votes_accepted_total',
    'Ballots accepted by the vote path, by channel',
  )
  registry.gauge('vote_queue_length', 'Entries in the vote stream', () => bus.streamLength(VOTE_STREAM))
  registry.gauge('vote_writer_pending', 'Entries read but not yet committed', () =>
    bus.pendingCount(VOTE_STREAM, WRITER_GROUP).catch(() => 0),
  )

  /** Reads the hub's figures, and the writer's when this process runs it. */
  function observe(hub: TallyHub, writer: VoteWriter | null): void {
    registry.gauge('tally_topics', 'Assembly topics served by this node', () => hub.stats.topics)
    registry.counterFrom('tally_deltas_total', 'Tally deltas published', () => hub.stats.deltas)
    if (!writer) return
    registry.counterFrom('vote_writer_batches_total', 'Batches committed', () => writer.stats.batches)
    registry.counterFrom('vote_writer_committed_total', 'Entries committed', () => writer.stats.committed)
    registry.gauge('vote_writer_last_batch_size', 'Size of the last batch', () => writer.stats.lastBatchSize)
    registry.gauge(
      'vote_writer_last_batch_seconds',
      'Duration of the last batch',
      () => writer.stats.lastBatchMs / 1000,
    )
    registry.gauge(
      'vote_writer_lag_seconds',
      'Seconds from the oldest ballot of the last batch being cast to its commit',
      () => writer.stats.lastLagSeconds,
    )
    registry.counterFrom('vote_writer_errors_total', 'Failed attempts (retried)', () => writer.stats.errors)
  }

  return { registry, batchSizes, droppedSends, backpressuredSends, votesAccepted, observe }
}
