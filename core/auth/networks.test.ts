import { describe, expect, it } from 'bun:test'
import { loadConfig } from '../config.ts'
import { DEFAULT_TRUSTED_PROXIES, parseNetworkList, resolveClientAddress } from './networks.ts'

describe('parseNetworkList', () => {
  it('matches single addresses and CIDR ranges, IPv4, IPv6 and IPv4-mapped', () => {
    const list = parseNetworkList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'])
    expect(list.has('10.200.1.1')).toBe(true)
    expect(list.has('::ffff:10.1.2.3')).toBe(true)
    expect(list.has('192.0.2.7')).toBe(true)
    expect(list.has('192.0.2.8')).toBe(false)
    expect(list.has('2001:db8:1::5')).toBe(true)
    expect(list.has('2001:db9::5')).toBe(false)
    expect(list.has('not-an-ip')).toBe(false)
    expect(list.has(null)).toBe(false)
  })

  it.each([['10.0.0.0/33'], ['banana'], ['10.0.0.0/8/1'], ['::1/129'], ['10.0.0.0/x']])(
    'refuses %s with a sentence naming it',
    (entry) => {
      expect(() => parseNetworkList([entry])).toThrow(entry)
    },
  )

  it('is validated at start from TRUSTED_PROXIES and AUTH_TRUSTED_NETWORKS', () => {
    expect(() => loadConfig({ APP_ENV: 'test', TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow(
      /^TRUSTED_PROXIES: /,
    )
    expect(() => loadConfig({ APP_ENV: 'test', AUTH_TRUSTED_NETWORKS: 'x' })).toThrow(
      /^AUTH_TRUSTED_NETWORKS: /,
    )
    expect(loadConfig({ APP_ENV: 'test', TRUSTED_PROXIES: 'none' }).auth.trustedProxies.entries).toEqual([])
    expect(loadConfig({ APP_ENV: 'test' }).auth.trustedProxies.entries).toEqual(DEFAULT_TRUSTED_PROXIES)
  })
})

describe('resolveClientAddress', () => {
  const proxies = parseNetworkList(['10.0.0.2', '127.0.0.1'])

  it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(resolveClientAddress('203.0.113.5', '198.51.100.1', proxies)).toBe('203.0.113.5')
  })

  it('believes the trusted proxy, reading from the right past other trusted hops', () => {
    expect(resolveClientAddress('10.0.0.2', '203.0.113.9', proxies)).toBe('203.0.113.9')
    // A client forging a header in front of nginx: its own address is what nginx appended last.
    expect(resolveClientAddress('10.0.0.2', '1.2.3.4, 203.0.113.9', proxies)).toBe('203.0.113.9')
    expect(resolveClientAddress('10.0.0.2', '203.0.113.9, 127.0.0.1', proxies)).toBe('203.0.113.9')
  })

  it('falls back to the proxy itself when the header is absent or garbled', () => {
    expect(resolveClientAddress('10.0.0.2', null, proxies)).toBe('10.0.0.2')
    expect(resolveClientAddress('10.0.0.2', 'junk', proxies)).toBe('10.0.0.2')
  })
})
