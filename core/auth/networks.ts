import { BlockList, isIP } from 'node:net'

/**
 * Address lists from the environment (TRUSTED_PROXIES, AUTH_TRUSTED_NETWORKS): single addresses or
 * CIDR ranges, IPv4 or IPv6. IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) match their IPv4 range.
 */
export interface NetworkList {
  readonly entries: readonly string[]
  has(address: string | null | undefined): boolean
}

/** Parses one entry; returns an error sentence instead of throwing, for the config's messages. */
function addEntry(list: BlockList, entry: string): string | null {
  const [address, prefixText, extra] = entry.split('/')
  const family = address ? isIP(address) : 0
  if (!address || family === 0 || extra !== undefined) {
    return `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefixText === undefined) {
    list.addAddress(address, type)
    return null
  }
  const max = family === 4 ? 32 : 128
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return `"${entry}" has a prefix length outside 0–${max}`
  }
  list.addSubnet(address, Number(prefixText), type)
  return null
}

/** Builds the list, or throws an Error whose message names the bad entry. */
export function parseNetworkList(entries: readonly string[]): NetworkList {
  const list = new BlockList()
  for (const entry of entries) {
    const problem = addEntry(list, entry)
    if (problem) throw new Error(problem)
  }
  return {
    entries: Object.freeze([...entries]),
    has(address) {
      if (!address) return false
      const family = isIP(address)
      if (family === 0) return false
      return list.check(address, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}

/** Loopback and private ranges: where a reverse proxy on the same host or container network sits. */
export const DEFAULT_TRUSTED_PROXIES = [
  '127.0.0.0/8',
  '::1/128',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
]

/**
 * The client's address. X-Forwarded-For is believed only when the connection comes from a trusted
 * proxy, and then read from the right: the first address that is not itself a trusted proxy is the
 * client (anything further left was written by the client and may be forged). A request handled in
 * process (no socket: tests calling app.handle) has no peer and uses the header as is.
 */
export function resolveClientAddress(
  peer: string | null,
  forwardedFor: string | null,
  trustedProxies: NetworkList,
): string {
  if (peer !== null && !trustedProxies.has(peer)) return peer
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  if (peer === null) return hops[0] ?? 'unknown'
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    if (isIP(hop) === 0) return peer // garbage in the chain: trust nothing the proxy passed on
    if (!trustedProxies.has(hop)) return hop
  }
  return hops[0] ?? peer
}
