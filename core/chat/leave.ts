import { listAttendance, selfCheckOut } from '../assemblies/attendance.ts'
import { requireLinkedPerson } from '../assemblies/linked-person.ts'
import { computeQuorum } from '../assemblies/quorum.ts'
import { acceptsAttendance } from '../assemblies/transitions.ts'
import { AppError } from '../errors.ts'
import { encodeAction } from './actions.ts'
import { currentAssembly, listUserOrganizations } from './directory.ts'
import { listUnits, t } from './i18n.ts'
import type { ChatServices, ChatTurn, Lang, Reply } from './types.ts'

/*
 * "Salir de la asamblea" from a chat: first the warning of what leaving does to the quorum with one
 * confirm button, then the same self check-out as the web's vote page (core selfCheckOut).
 */

type LinkedTurn = ChatTurn & { userId: string }

/** Where the person is present now: the PH, its current assembly and the units they attend for. */
async function presences(deps: ChatServices, userId: string) {
  const found = []
  for (const org of await listUserOrganizations(deps.db, userId)) {
    const assembly = await currentAssembly(deps.db, org.organizationId)
    if (!assembly || !acceptsAttendance(assembly.status)) continue
    const scope = { organizationId: org.organizationId, assemblyId: assembly.id }
    const personId = await requireLinkedPerson(deps.db, org.organizationId, { userId })
      .then((person) => person.id)
      .catch(() => null)
    if (!personId) continue
    const open = await listAttendance(deps.db, { ...scope, openOnly: true })
    const units = open.filter((row) => row.personId === personId).map((row) => row.unitNumber)
    if (units.length > 0) found.push({ org, assembly, scope, units })
  }
  return found
}

const percent = (lang: Lang, text: string) =>
  new Intl.NumberFormat(lang === 'es' ? 'es-PA' : 'en-US', { maximumFractionDigits: 2 }).format(Number(text))

/** The warning, one per meeting the person is in, each with its confirm button. */
export async function askToLeave(deps: ChatServices, turn: LinkedTurn): Promise<Reply[]> {
  const lang = turn.language
  const found = await presences(deps, turn.userId)
  if (found.length === 0) return [{ text: t(lang, 'leaveNotPresent') }]
  const replies: Reply[] = []
  for (const { assembly, scope, units } of found) {
    const quorum = await computeQuorum(deps.db, scope)
    replies.push({
      text: t(lang, 'leaveWarning', {
        title: assembly.title,
        units: listUnits(lang, units),
        coefficient: percent(lang, quorum.byCoefficient.percent),
      }),
      choices: [
        { id: encodeAction({ kind: 'leave', assemblyId: assembly.id }), label: t(lang, 'leaveButton') },
      ],
    })
  }
  return replies
}

/** The confirm button: checks the person out of that meeting (every unit they attend for). */
export async function leaveMeeting(
  deps: ChatServices,
  turn: LinkedTurn,
  assemblyId: string,
): Promise<Reply[]> {
  const lang = turn.language
  const target = (await presences(deps, turn.userId)).find((entry) => entry.assembly.id === assemblyId)
  if (!target) return [{ text: t(lang, 'leaveNotPresent') }]
  try {
    const result = await selfCheckOut(
      deps.db,
      { ...target.scope, actor: { userId: turn.userId } },
      { changes: deps.changes, log: deps.log },
    )
    const at = result.checkedOut[0]?.checkedOutAt ?? new Date()
    const time = new Intl.DateTimeFormat(lang === 'es' ? 'es-PA' : 'en-US', {
      timeStyle: 'short',
      timeZone: target.org.timeZone,
    }).format(at)
    const units = listUnits(
      lang,
      result.checkedOut.map((row) => row.unitNumber),
    )
    return [{ text: t(lang, result.quorum.reached ? 'leftKept' : 'leftLost', { time, units }) }]
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return [{ text: t(lang, 'leaveNotPresent') }]
  }
}
