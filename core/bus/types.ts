/**
 * The queue / pub-sub / key-value interface every process uses. Two implementations satisfy it:
 * Redis (production, several processes) and an in-process one (the embedded default, one process).
 * core/bus/contract.test.ts runs the same tests against both.
 */

export interface StreamEntry {
  id: string
  fields: Record<string, string>
}

export interface ReadGroupOptions {
  count: number
  blockMs: number
}

export type Unsubscribe = () => Promise<void>

export interface Bus {
  readonly kind: 'redis' | 'memory'
  ping(): Promise<boolean>
  close(): Promise<void>

  // Key-value with optional expiry (ms).
  get(key: string): Promise<string | null>
  set(key: string, value: string, ttlMs?: number): Promise<void>
  /** Sets only when absent; true when this call set it (for locks and deduplication). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>
  /** Reads and deletes in one step (single-use values such as challenges). */
  take(key: string): Promise<string | null>
  del(key: string): Promise<void>
  /** Increments and returns the counter; the expiry is set when the key is created. */
  incr(key: string, ttlMs?: number): Promise<number>
  /** Remaining time to live in ms, or null when the key is absent or has no expiry. */
  ttl(key: string): Promise<number | null>

  // Pub/sub: fire-and-forget messages to every current subscriber of a channel.
  publish(channel: string, message: string): Promise<void>
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>

  // Streams with consumer groups: at-least-once delivery, acknowledged by the consumer.
  streamAdd(stream: string, fields: Record<string, string>): Promise<string>
  streamLength(stream: string): Promise<number>
  ensureGroup(stream: string, group: string): Promise<void>
  readGroup(
    stream: string,
    group: string,
    consumer: string,
    options: ReadGroupOptions,
  ): Promise<StreamEntry[]>
  ack(stream: string, group: string, ids: string[]): Promise<number>
  /** Entries delivered but not acknowledged. */
  pendingCount(stream: string, group: string): Promise<number>
  /**
   * Deletes the entries every consumer of `group` has acknowledged (those before the oldest pending
   * or undelivered one), so the stream does not grow for ever. Returns how many were deleted.
   * Only for streams read by that one group.
   */
  trimAcknowledged(stream: string, group: string): Promise<number>
  /** Takes over entries pending longer than `minIdleMs` (from a consumer that died). */
  claimStale(
    stream: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    count: number,
  ): Promise<StreamEntry[]>
}
