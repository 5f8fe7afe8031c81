import { sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'
import { withTenant } from '../../db/tenant.ts'
import { notFound } from '../ph/errors.ts'
import { isUuid } from '../ph/validation.ts'
import { findAssembly } from './guards.ts'
import { isPresent } from './presence.ts'

/** How a unit is (or is not) in the room. */
export type BoardPresence = 'in_person' | 'remote' | 'proxy' | 'absent'

/** One unit on the live board: presence, arrears, and whether it has voted on the board's motion. */
export interface BoardUnit {
  unitId: string
  number: string
  /** Derived from the unit number (see unitLocation): the PH has no tower or floor fields. */
  tower: string | null
  floor: string | null
  upToDate: boolean
  presence: BoardPresence
  /** Who attends for the unit (owner or proxy holder), when present. */
  attendee: string | null
  attendeePersonId: string | null
  owners: string[]
  /** Null when there is no open motion; never says how the unit voted. */
  voted: boolean | null
}

export interface Board {
  motion: { id: string; title: string; secret: boolean } | null
  units: BoardUnit[]
}

/**
 * Tower and floor read from a unit number, since units carry neither: a prefix before `-`, `/`, `.`
 * or a space is the tower (`T1-1203` → T1, `B 402` → B); of the number that follows, the digits but the
 * last two are the floor when there are three or more (`1203` → 12), else the leading digits are
 * (`2A` → 2). A number without digits has no floor.
 */
export function unitLocation(number: string): { tower: string | null; floor: string | null } {
  const trimmed = number.trim()
  const split = trimmed.match(/^(.+?)[-/.\s]+([^-/.\s]+)$/)
  const tower = split ? split[1]!.toUpperCase() : null
  const rest = split ? split[2]! : trimmed
  const digits = rest.match(/^\D*(\d+)/)?.[1]
  if (!digits) return { tower, floor: null }
  const floorDigits = digits.length >= 3 ? digits.slice(0, -2) : digits
  return { tower, floor: String(Number(floorDigits)) }
}

interface BoardRow {
  unit_id: string
  number: string
  up_to_date: boolean
  mode: 'in_person' | 'remote' | null
  by_proxy: boolean | null
  attendee: string | null
  attendee_person_id: string | null
  owners: string[] | null
  voted: boolean
}

/**
 * Every unit of the PH with its state in the assembly, in one query under the PH's row-level security.
 * The motion is the given one, else the most recently opened open motion. `alsoVoted` adds units whose
 * ballots were accepted but not yet committed (the vote queue's view). Throws 404 for an unknown assembly
 * or a motion of another assembly.
 */
export async function getBoard(
  db: Database,
  input: { organizationId: string; assemblyId: string; motionId?: string },
  alsoVoted: (motionId: string) => Promise<Iterable<string>> = async () => [],
): Promise<Board> {
  const { organizationId, assemblyId } = input
  const { motion, rows } = await withTenant(db, organizationId, async (tx) => {
    await findAssembly(tx, organizationId, assemblyId)
    if (input.motionId && !isUuid(input.motionId)) throw notFound('Motion')
    const motionRows = await tx.execute(sql`
      select id, title, secret from motions
      where organization_id = ${organizationId} and assembly_id = ${assemblyId}
        and ${input.motionId ? sql`id = ${input.motionId}` : sql`status = 'open'`}
      order by opened_at desc nulls last limit 1`)
    const motion = rowsOf<{ id: string; title: string; secret: boolean }>(motionRows)[0] ?? null
    const motionId = motion?.id ?? null
    const result = await tx.execute(sql`
      select u.id as unit_id, u.number, u.up_to_date, attendance.mode,
        (attendance.proxy_id is not null) as by_proxy, ap.full_name as attendee,
        attendance.person_id as attendee_person_id,
        (select array_agg(p.full_name order by o.is_representative desc, p.full_name)
           from ownerships o join people p on p.id = o.person_id
           where o.unit_id = u.id and o.organization_id = ${organizationId}) as owners,
        ${motionId ? sql`exists (select 1 from votes v where v.motion_id = ${motionId} and v.unit_id = u.id)` : sql`false`} as voted
      from units u
      left join attendance on attendance.unit_id = u.id and attendance.assembly_id = ${assemblyId}
        and attendance.organization_id = ${organizationId} and ${isPresent}
      left join people ap on ap.id = attendance.person_id
      where u.organization_id = ${organizationId}
      order by length(u.number), u.number`)
    const rows = rowsOf<BoardRow>(result)
    return { motion, rows }
  })
  if (input.motionId && !motion) throw notFound('Motion')
  const queued = motion ? new Set(await alsoVoted(motion.id)) : new Set<string>()
  return {
    motion,
    units: rows.map((row) => ({
      unitId: row.unit_id,
      number: row.number,
      ...unitLocation(row.number),
      upToDate: row.up_to_date,
      presence: row.mode === null ? 'absent' : row.by_proxy ? 'proxy' : row.mode,
      attendee: row.attendee,
      attendeePersonId: row.attendee_person_id,
      owners: row.owners ?? [],
      voted: motion ? row.voted || queued.has(row.unit_id) : null,
    })),
  }
}
