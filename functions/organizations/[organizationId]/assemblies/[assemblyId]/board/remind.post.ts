import { Elysia } from 'elysia'
import { announceVoteReminder } from '../../../../../../core/assemblies/vote-reminder-event.ts'
import { SendReportSchema, sendReport } from '../../../../../../core/mail/deliveries.ts'
import { remindPresentNonVoters } from '../../../../../../core/mail/vote-reminder.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import { AssemblyParams, attendanceTags } from '../../_schemas.ts'

/** Emails everyone present for a unit that has not voted on the open motion, and tells their linked chats. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const result = await remindPresentNonVoters(
      { db: s.db, mailer: s.mailer, publicUrl: s.config.publicUrl },
      { ...params, actor: { userId: user.id }, alsoVoted: (motionId) => s.votes.votedUnitIds(motionId) },
    )
    // Linked Telegram/WhatsApp chats (with or without an email): queued by the bots process.
    await announceVoteReminder(assemblyDeps(s), { ...params, motionId: result.motionId, units: result.units })
    return sendReport(result)
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    response: {
      200: SendReportSchema(),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Remind present units that have not voted',
      description:
        'One email per person present for a unit with no ballot on the open motion, listing their units; logged in the mail delivery log (kind vote_reminder). The same people are also reminded in their linked Telegram/WhatsApp chats (queued by the bots process). 409 no_open_motion when no motion is open.',
      tags: attendanceTags,
    },
  },
)
