export { type ErrorBody, errorBody } from '../../core/edge.ts'
export { AppError } from '../../core/errors.ts'

export interface FieldIssue {
  /** Where the value sits, e.g. 'body.units.3.coefficient' or 'params.id'. */
  field: string
  message: string
}

interface ValueErrorLike {
  path?: string
  message?: string
  summary?: string
}

/** Field paths of a validation failure, in the uniform `field` notation. */
export function fieldIssues(on: string, errors: ValueErrorLike[]): FieldIssue[] {
  const seen = new Set<string>()
  const issues: FieldIssue[] = []
  for (const error of errors) {
    const path = (error.path ?? '').split('/').filter(Boolean).join('.')
    const field = path ? `${on}.${path}` : on
    const message = error.summary ?? error.message ?? 'is invalid'
    const key = `${field}\u0000${message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push({ field, message })
  }
  return issues
}
