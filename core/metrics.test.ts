import { describe, expect, it } from 'bun:test'
import { createProcessRegistry, createRegistry, metricsResponse } from './metrics.ts'

describe('metrics registry', () => {
  it('renders counters with labels in the Prometheus text format', async () => {
    const registry = createRegistry()
    const requests = registry.counter('http_requests_total', 'HTTP requests')
    requests.inc({ route: '/api/x', status: 200 })
    requests.inc({ route: '/api/x', status: 200 })
    requests.inc({ route: '/api/y"z', status: 500 })
    const text = await registry.render()
    expect(text).toContain('# TYPE http_requests_total counter')
    expect(text).toContain('http_requests_total{route="/api/x",status="200"} 2')
    expect(text).toContain('http_requests_total{route="/api/y\\"z",status="500"} 1')
  })

  it('renders cumulative histogram buckets, sum and count', async () => {
    const registry = createRegistry()
    const latency = registry.histogram('latency_seconds', 'Latency', [0.1, 1])
    latency.observe(0.05)
    latency.observe(0.5)
    latency.observe(2)
    const text = await registry.render()
    expect(text).toContain('latency_seconds_bucket{le="0.1"} 1')
    expect(text).toContain('latency_seconds_bucket{le="1"} 2')
    expect(text).toContain('latency_seconds_bucket{le="+Inf"} 3')
    expect(text).toContain('latency_seconds_sum 2.55')
    expect(text).toContain('latency_seconds_count 3')
  })

  it('reads gauges when scraped', async () => {
    const registry = createRegistry()
    let connections = 3
    registry.gauge('ws_connections', 'Open WebSocket connections', () => connections)
    expect(await registry.render()).toContain('ws_connections 3')
    connections = 5
    expect(await registry.render()).toContain('ws_connections 5')
  })

  it('types a running total kept elsewhere as a counter, read when scraped', async () => {
    const registry = createRegistry()
    let committed = 7
    registry.counterFrom('vote_writer_committed_total', 'Entries committed', () => committed)
    expect(await registry.render()).toContain(
      '# HELP vote_writer_committed_total Entries committed\n# TYPE vote_writer_committed_total counter\nvote_writer_committed_total 7',
    )
    committed = 9
    expect(await registry.render()).toContain('vote_writer_committed_total 9')
  })

  it('refuses counters without _total, and a name registered as two kinds', () => {
    const registry = createRegistry()
    expect(() => registry.counter('requests', 'x')).toThrow('must end in _total')
    expect(() => registry.counterFrom('deltas', 'x', () => 1)).toThrow('must end in _total')
    registry.gauge('queue_length', 'x', () => 1)
    expect(() => registry.gauge('queue_length', 'x', () => 2)).toThrow('registered twice')
    expect(() => registry.histogram('queue_length', 'x', [1])).toThrow('registered twice')
  })

  it('hands back the same counter when two apps of one process ask for it', async () => {
    const registry = createRegistry()
    registry.counter('http_requests_total', 'HTTP requests').inc({ status: 200 })
    registry.counter('http_requests_total', 'HTTP requests').inc({ status: 200 })
    const text = await registry.render()
    expect(text.match(/# TYPE http_requests_total counter/g)).toHaveLength(1)
    expect(text).toContain('http_requests_total{status="200"} 2')
  })

  it('exports the process metrics with the standard names and the exposition content type', async () => {
    const response = await metricsResponse(createProcessRegistry('bots'))
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await response.text()
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge')
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(1024 * 1024)
    expect(text).toContain('# TYPE process_cpu_seconds_total counter')
    expect(Number(/^process_start_time_seconds (\d+)$/m.exec(text)?.[1])).toBeLessThanOrEqual(
      Date.now() / 1000,
    )
  })
})
