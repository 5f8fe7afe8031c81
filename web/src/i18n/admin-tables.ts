import { adminMessages } from './admin.ts'
import { communicationMessages } from './admin-communications.ts'
import { motionMessages } from './admin-motions.ts'
import { noticeMessages } from './admin-notice.ts'
import { rosterMessages } from './admin-roster.ts'
import { common } from './common.ts'

/** The tables the admin console's one translator reads (web/src/admin/context.ts), in its order. */
export const adminTables = [
  common,
  adminMessages,
  motionMessages,
  rosterMessages,
  noticeMessages,
  communicationMessages,
] as const
