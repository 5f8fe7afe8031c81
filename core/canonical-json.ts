/**
 * Deterministic JSON: object keys sorted, bigints as strings, Dates as ISO strings, undefined
 * properties dropped. Hash chains hash this form so that key order or driver types never matter.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value))
}

function normalize(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(normalize)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined) out[key] = normalize(item)
    }
    return out
  }
  return value
}
