import { Elysia, t } from 'elysia'
import { requestOtp } from '../../../core/auth/otp.ts'
import { OtpRequestResultSchema } from '../../../core/auth/schemas.ts'
import { clientIp } from '../../_lib/auth.ts'
import { Email, ErrorResponse, Language } from '../../_lib/schemas.ts'
import { services } from '../../_lib/services.ts'

/** Sends a 6-digit sign-in code to a known address; answers the same for unknown ones. */
export default new Elysia().use(services).post(
  '',
  async ({ services: s, body, request, server }) =>
    requestOtp(
      {
        db: s.db,
        mailer: s.mailer,
        auth: s.config.auth,
        log: s.log,
        limiters: s.limiters,
      },
      { email: body.email, ip: clientIp(request, server, s.config), language: body.language },
    ),
  {
    body: t.Object({ email: Email, language: t.Optional(Language) }, { additionalProperties: false }),
    response: {
      200: OtpRequestResultSchema,
      429: ErrorResponse,
    },
    detail: {
      summary: 'Request a sign-in code by email',
      description: 'Keep `attempt`: the code is only valid together with it.',
      tags: ['auth'],
    },
  },
)
