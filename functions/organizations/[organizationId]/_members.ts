import { t } from 'elysia'
import { Timestamp, Uuid } from './_schemas.ts'

/** The roles a PH admin grants (GRANTABLE_ROLES in core/ph/members.ts). */
export const Role = t.Union([t.Literal('ph_admin'), t.Literal('checkin_staff'), t.Literal('auditor')], {
  description: 'auditor: reads the exact figures of secret motions',
})

export const MemberSchema = t.Object({
  id: Uuid,
  userId: Uuid,
  email: t.String(),
  displayName: t.Nullable(t.String()),
  role: Role,
  createdAt: Timestamp,
})
