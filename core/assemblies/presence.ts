import { isNull } from 'drizzle-orm'
import { attendance } from '../../db/schema/index.ts'

/**
 * "Present": an attendance row that has not been checked out. One predicate for every query that asks
 * who is in the meeting now (quorum, voting facts, proxies, the desk, the live snapshot).
 */
export const isPresent = isNull(attendance.checkedOutAt)
