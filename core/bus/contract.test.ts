import { afterAll, describe, expect, it } from 'bun:test'
import { createMemoryBus } from './memory.ts'
import { createTestBus } from './testing.ts'
import type { Bus } from './types.ts'

const implementations: [string, () => Bus][] = [['memory', createMemoryBus]]
if (process.env.REDIS_URL) implementations.push(['redis', createTestBus])

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.each(implementations)('%s bus', (_name, create) => {
  const bus = create()
  afterAll(() => bus.close())

  it('answers a ping', async () => {
    expect(await bus.ping()).toBe(true)
  })

  it('stores, expires and deletes values', async () => {
    await bus.set('kv:a', '1')
    await bus.set('kv:b', '2', 50)
    expect(await bus.get('kv:a')).toBe('1')
    expect(await bus.get('kv:b')).toBe('2')
    await sleep(80)
    expect(await bus.get('kv:b')).toBeNull()
    await bus.del('kv:a')
    expect(await bus.get('kv:a')).toBeNull()
  })

  it('takes a value once', async () => {
    await bus.set('once', 'v', 1000)
    expect(await bus.take('once')).toBe('v')
    expect(await bus.take('once')).toBeNull()
  })

  it('sets only when absent', async () => {
    expect(await bus.setIfAbsent('lock', 'x', 1000)).toBe(true)
    expect(await bus.setIfAbsent('lock', 'y', 1000)).toBe(false)
    expect(await bus.get('lock')).toBe('x')
  })

  it('counts with an expiry fixed at creation', async () => {
    expect(await bus.incr('count', 1000)).toBe(1)
    expect(await bus.incr('count', 1000)).toBe(2)
    const ttl = await bus.ttl('count')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(1000)
    expect(await bus.ttl('missing')).toBeNull()
  })

  it('delivers published messages to subscribers until they unsubscribe', async () => {
    const received: string[] = []
    const unsubscribe = await bus.subscribe('chan', (message) => received.push(message))
    await bus.publish('chan', 'one')
    await bus.publish('other', 'ignored')
    for (let i = 0; i < 50 && received.length < 1; i++) await sleep(10)
    await unsubscribe()
    await bus.publish('chan', 'two')
    await sleep(50)
    expect(received).toEqual(['one'])
  })

  it('delivers stream entries once per group and tracks them until acknowledged', async () => {
    await bus.ensureGroup('stream:a', 'writers')
    await bus.ensureGroup('stream:a', 'writers') // idempotent
    const ids = [await bus.streamAdd('stream:a', { n: '1' }), await bus.streamAdd('stream:a', { n: '2' })]
    expect(await bus.streamLength('stream:a')).toBe(2)
    const first = await bus.readGroup('stream:a', 'writers', 'c1', { count: 10, blockMs: 0 })
    expect(first.map((entry) => entry.fields.n)).toEqual(['1', '2'])
    expect(first.map((entry) => entry.id)).toEqual(ids)
    const second = await bus.readGroup('stream:a', 'writers', 'c2', { count: 10, blockMs: 0 })
    expect(second).toEqual([])
    expect(await bus.pendingCount('stream:a', 'writers')).toBe(2)
    expect(await bus.ack('stream:a', 'writers', [ids[0]!])).toBe(1)
    expect(await bus.pendingCount('stream:a', 'writers')).toBe(1)
  })

  it('wakes a blocked reader when an entry arrives', async () => {
    await bus.ensureGroup('stream:b', 'writers')
    const started = Date.now()
    const reading = bus.readGroup('stream:b', 'writers', 'c1', { count: 10, blockMs: 2000 })
    await sleep(30)
    await bus.streamAdd('stream:b', { n: 'late' })
    const entries = await reading
    expect(entries.map((entry) => entry.fields.n)).toEqual(['late'])
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('returns nothing after the block time when no entry arrives', async () => {
    await bus.ensureGroup('stream:c', 'writers')
    expect(await bus.readGroup('stream:c', 'writers', 'c1', { count: 10, blockMs: 30 })).toEqual([])
  })

  it('trims only acknowledged entries', async () => {
    await bus.ensureGroup('stream:e', 'writers')
    const ids = []
    for (let i = 0; i < 5; i++) ids.push(await bus.streamAdd('stream:e', { n: String(i) }))
    const read = await bus.readGroup('stream:e', 'writers', 'c1', { count: 3, blockMs: 0 })
    await bus.ack('stream:e', 'writers', [read[0]!.id, read[2]!.id]) // the second stays pending
    await bus.trimAcknowledged('stream:e', 'writers')
    expect(await bus.streamLength('stream:e')).toBe(4)
    await bus.ack('stream:e', 'writers', [read[1]!.id])
    await bus.trimAcknowledged('stream:e', 'writers')
    // Entries 3 and 4 were never delivered: they stay, and are still delivered next.
    const rest = await bus.readGroup('stream:e', 'writers', 'c1', { count: 10, blockMs: 0 })
    expect(rest.map((entry) => entry.fields.n)).toEqual(['3', '4'])
    expect(await bus.streamLength('stream:e')).toBeLessThanOrEqual(3)
    expect(ids).toHaveLength(5)
  })

  it('lets another consumer claim entries a dead consumer left pending', async () => {
    await bus.ensureGroup('stream:d', 'writers')
    await bus.streamAdd('stream:d', { n: '1' })
    await bus.readGroup('stream:d', 'writers', 'dead', { count: 10, blockMs: 0 })
    expect(await bus.claimStale('stream:d', 'writers', 'alive', 10_000, 10)).toEqual([])
    await sleep(60)
    const claimed = await bus.claimStale('stream:d', 'writers', 'alive', 50, 10)
    expect(claimed.map((entry) => entry.fields.n)).toEqual(['1'])
    expect(
      await bus.ack(
        'stream:d',
        'writers',
        claimed.map((entry) => entry.id),
      ),
    ).toBe(1)
    expect(await bus.pendingCount('stream:d', 'writers')).toBe(0)
  })
})
