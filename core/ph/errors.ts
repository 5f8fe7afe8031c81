import { AppError } from '../errors.ts'

/** 404 `not_found` naming the kind of thing that was looked up. */
export function notFound(resource: string): AppError {
  return new AppError(404, 'not_found', `${resource} not found`, { resource })
}

/** 422 `validation_failed` in the same shape as the HTTP edge's own validation errors. */
export function invalidField(field: string, message: string): AppError {
  return new AppError(422, 'validation_failed', `${field}: ${message}`, [{ field, message }])
}

/** 409 for a value that must be unique within the PH; `details.field` names the offending field. */
export function alreadyExists(field: string, message: string): AppError {
  return new AppError(409, 'already_exists', message, { field })
}

interface PostgresErrorLike {
  code: string
  constraint: string | null
}

/**
 * The PostgreSQL error behind a failed query: drizzle wraps it in `cause`, and the constraint name
 * sits in `constraint_name` (postgres.js) or `constraint` (PGlite).
 */
export function postgresErrorOf(error: unknown): PostgresErrorLike | null {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as {
      code?: unknown
      constraint_name?: unknown
      constraint?: unknown
      cause?: unknown
    }
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint
      return { code: candidate.code, constraint: typeof constraint === 'string' ? constraint : null }
    }
    current = candidate.cause
  }
  return null
}

/** Whether the error is a unique violation, optionally of the named index/constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresErrorOf(error)
  if (pg?.code !== '23505') return false
  return constraint === undefined || pg.constraint === constraint
}

/** Whether the error is a foreign-key violation (e.g. deleting a row still referenced elsewhere). */
export function isForeignKeyViolation(error: unknown): boolean {
  return postgresErrorOf(error)?.code === '23503'
}
