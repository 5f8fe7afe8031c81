import { AppError } from './errors.ts'

/** Deeper than any route's body; far below what would overflow the validator's recursion. */
export const MAX_INPUT_DEPTH = 32

export interface UnsafeInput {
  /** Where, in the `field` notation of validation errors (e.g. 'body.units.3.number'). */
  field: string
  problem: 'nul' | 'depth'
}

const describe = (field: string, value: string) => {
  // For a text body (CSV), the line helps more than the field.
  if (field !== 'body') return field
  const line = value.slice(0, value.indexOf('\u0000')).split('\n').length
  return `body (line ${line})`
}

/**
 * The first value PostgreSQL or the validator cannot take: a NUL character (text columns refuse it)
 * in any string or key, or nesting deeper than MAX_INPUT_DEPTH. Walks without recursion.
 */
export function findUnsafeInput(value: unknown, root: string): UnsafeInput | null {
  const stack: [unknown, string, number][] = [[value, root, 0]]
  while (stack.length > 0) {
    const [current, field, depth] = stack.pop()!
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { field: describe(field, current), problem: 'nul' }
      continue
    }
    if (current === null || typeof current !== 'object') continue
    if (depth >= MAX_INPUT_DEPTH) return { field, problem: 'depth' }
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000'))
        return { field: `${field}.${key.replaceAll('\u0000', '\\u0000')}`, problem: 'nul' }
      stack.push([child, `${field}.${key}`, depth + 1])
    }
  }
  return null
}

/** Refuses unsafe input at the edge (before validation, before any handler): 422 or 400, never a 500. */
export function assertSafeInput(parts: Record<string, unknown>): void {
  for (const [root, value] of Object.entries(parts)) {
    const unsafe = findUnsafeInput(value, root)
    if (!unsafe) continue
    if (unsafe.problem === 'depth') {
      throw new AppError(400, 'too_deep', `${unsafe.field}: nested deeper than ${MAX_INPUT_DEPTH} levels`, [
        { field: unsafe.field, message: `nested deeper than ${MAX_INPUT_DEPTH} levels` },
      ])
    }
    const message = 'contains a NUL character (\\u0000), which is not allowed in text'
    throw new AppError(422, 'validation_failed', `${unsafe.field}: ${message}`, [
      { field: unsafe.field, message },
    ])
  }
}
