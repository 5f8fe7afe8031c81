import { describe, expect, it } from 'bun:test'
import { createRegistry } from './metrics.ts'

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
})
