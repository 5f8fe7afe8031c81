import { type Static, Type } from '@sinclair/typebox'
import { Nullable } from '../schemas.ts'

/*
 * The answers of the auth routes (session, passkeys), owned once here (TypeBox, without Elysia): the
 * routes validate and document with them, the web client reads their static types.
 */

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Nullable(Type.String()),
  locale: Type.String(),
  isPlatformAdmin: Type.Boolean(),
})

/** A PH the user belongs to, by granted role or as owner / proxy holder. */
export const UserOrganizationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  /** Roles granted in the PH (owners and proxy holders follow from the roster, not from here). */
  roles: Type.Array(Type.String()),
  /** The user is an owner or proxy holder there (a person record of the PH is linked to them). */
  linkedAsPerson: Type.Boolean(),
})
export type UserOrganization = Static<typeof UserOrganizationSchema>

/** GET /auth/session for a signed-in user: who they are and the PHs they belong to. */
export const SessionInfoSchema = Type.Object({
  user: SessionUserSchema,
  expiresAt: Type.String(),
  organizations: Type.Array(UserOrganizationSchema),
})
export type SessionInfo = Static<typeof SessionInfoSchema>

/** A passkey of the signed-in user as the API shows it. */
export const PasskeySchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  deviceType: Type.String(),
  backedUp: Type.Boolean(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
})
export type PasskeyView = Static<typeof PasskeySchema>

/** POST /auth/otp/request: keep `attempt`, the code is only valid together with it. */
export const OtpRequestResultSchema = Type.Object({
  attempt: Type.String(),
  expiresInSeconds: Type.Integer(),
})
export type OtpRequestResult = Static<typeof OtpRequestResultSchema>
