import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The answers of the PH-setup routes, owned once here (TypeBox, without Elysia): the routes validate
 * and document with them, the web console reads their static types.
 */

/** What the PH does with units in arrears (not al día). */
export const ArrearsVoting = Type.Union([Type.Literal('voice_no_vote'), Type.Literal('full_vote')], {
  description:
    'voice_no_vote: may speak, may not vote, not counted for quorum (default); full_vote: as any unit',
})

export const OrganizationSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  legalName: Nullable(Type.String()),
  taxId: Nullable(Type.String()),
  registryNumber: Nullable(Type.String()),
  address: Nullable(Type.String()),
  timeZone: Type.String({ description: 'IANA time zone, e.g. America/Panama' }),
  locale: Type.String({ description: 'BCP 47 locale for dates and numbers, e.g. es-PA' }),
  language: Type.String({ description: 'es or en' }),
  ownerProxiesNeedApproval: Type.Boolean({
    description: "Owner-filed proxies wait for an administrator's approval",
  }),
  ownerProxyDeadlineHours: Type.Integer({
    description: 'Owners file proxies at least this many hours before the first call',
  }),
  arrearsVoting: ArrearsVoting,
  sealNamedResults: Type.Boolean({ description: 'Named motions: running tallies hidden until close' }),
  noticeOrdinaryMinDays: Type.Integer(),
  noticeOrdinaryMaxDays: Type.Integer(),
  noticeExtraordinaryMinDays: Type.Integer(),
  noticeExtraordinaryMaxDays: Type.Integer(),
  reminderDaysBefore: Type.Array(Type.Integer(), {
    description: 'Reminders of the notice, days before the first call',
  }),
  summaryDelayHours: Type.Integer({
    description:
      'Hours after the close before the summary of decisions is sent by itself (art. 71: within 3 days)',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type OrganizationView = Static<typeof OrganizationSchema>
