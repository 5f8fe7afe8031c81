/*
 * The recomputation's own model of an assembly: plain integers and BigInt, written from the rules as the
 * README and the domain notes state them, never from core/rules. Coefficients are held in units of
 * 10⁻⁷ % (the roster's 7 decimals); the API writes 9 decimals, so two zeros are appended.
 */

export const SCALE = 10_000_000n // 10⁻⁷ % per unit
export const HUNDRED = 100n * SCALE

export interface ModelUnit {
  number: string
  /** 10⁻⁷ %. */
  coefficient: bigint
  upToDate: boolean
  /** Who owns the unit as one key (same owners → same head). */
  owners: string
}

/** 12.3456789 % as the API writes it: '12.345678900'. */
export function nine(value: bigint): string {
  const sign = value < 0n ? '-' : ''
  const abs = value < 0n ? -value : value
  return `${sign}${abs / SCALE}.${(abs % SCALE).toString().padStart(7, '0')}00`
}

/** a/b rounded half away from zero to `decimals` digits, as text ('0' when b is 0). */
export function ratioText(a: bigint, b: bigint, decimals: number): string {
  if (b === 0n) return decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}`
  const factor = 10n ** BigInt(decimals)
  let scaled = (a * factor) / b
  if (((a * factor) % b) * 2n >= b) scaled += 1n
  const whole = scaled / factor
  const fraction = (scaled % factor).toString().padStart(decimals, '0')
  return decimals === 0 ? `${whole}` : `${whole}.${fraction}`
}

/** part/whole as a percent with 4 decimals. */
export const percent4 = (part: bigint, whole: bigint) => ratioText(part * 100n, whole, 4)

/** A coefficient rounded to one decimal of a percent (the published figure of a secret motion). */
export const coefficient1 = (value: bigint) => ratioText(value, SCALE, 1)

/** Whether part/whole reaches n/d (strictly above when `strict`). */
export function reaches(part: bigint, whole: bigint, n: bigint, d: bigint, strict: boolean): boolean {
  if (whole === 0n) return false
  return strict ? part * d > n * whole : part * d >= n * whole
}

export interface Count {
  units: number
  coefficient: bigint
}
const zero = (): Count => ({ units: 0, coefficient: 0n })
const add = (count: Count, unit: ModelUnit) => {
  count.units += 1
  count.coefficient += unit.coefficient
}

/** The quorum of the meeting on its three bases, counting only up-to-date units (voice but no vote). */
export function expectedQuorum(roster: readonly ModelUnit[], present: ReadonlySet<string>) {
  const counted = roster.filter((unit) => unit.upToDate)
  const attending = counted.filter((unit) => present.has(unit.number))
  const sum = (units: readonly ModelUnit[]) => units.reduce((total, unit) => total + unit.coefficient, 0n)
  const heads = new Set(counted.map((unit) => unit.owners))
  const headsPresent = new Set(attending.map((unit) => unit.owners))
  return {
    coefficient: { present: sum(attending), total: sum(counted) },
    units: { present: attending.length, total: counted.length },
    owners: { present: headsPresent.size, total: heads.size },
    allUnits: roster.length,
    unitsInArrears: roster.length - counted.length,
  }
}

export interface Rule {
  base: 'coefficient' | 'units'
  denominator: 'cast' | 'present' | 'eligible'
  /** null: relative majority (more yes than no). */
  threshold: { n: bigint; d: bigint; strict: boolean } | null
  abstentionsCount: boolean
}

/** A row of the tally: every unit, and the up-to-date ones among them. */
export interface Row {
  all: Count
  upToDate: Count
}
const emptyRow = (): Row => ({ all: zero(), upToDate: zero() })
const addRow = (row: Row, unit: ModelUnit) => {
  add(row.all, unit)
  if (unit.upToDate) add(row.upToDate, unit)
}

export interface ExpectedResult {
  options: Record<string, Row>
  cast: Row
  abstained: Row
  /** Attending at the close, or voted. */
  present: Row
  /** The whole PH; its up-to-date part is who may vote. */
  eligible: Row
  notVoted: Row
  numerator: bigint
  denominator: bigint
  percent: string
  outcome: 'approved' | 'rejected' | 'tie' | 'no_votes'
}

/**
 * The result of a yes / no / abstain motion from the last vote of each unit. A unit is present at the
 * close when it attends or has voted. Under voice-but-no-vote a unit in arrears cannot vote, and every
 * figure the rule weighs (numerator and denominator) counts up-to-date units only.
 */
export function expectedResult(
  roster: readonly ModelUnit[],
  votes: ReadonlyMap<string, string>,
  presentAtClose: ReadonlySet<string>,
  rule: Rule,
): ExpectedResult {
  const options: Record<string, Row> = { yes: emptyRow(), no: emptyRow(), abstain: emptyRow() }
  const cast = emptyRow()
  const abstained = emptyRow()
  const present = emptyRow()
  const eligible = emptyRow()
  const notVoted = emptyRow()
  for (const unit of roster) {
    const choice = votes.get(unit.number)
    if (choice && !unit.upToDate) throw new Error(`model: unit ${unit.number} in arrears cannot vote`)
    addRow(eligible, unit)
    if (presentAtClose.has(unit.number) || choice) addRow(present, unit)
    if (!choice) {
      addRow(notVoted, unit)
      continue
    }
    addRow(cast, unit)
    addRow(options[choice]!, unit)
    if (choice === 'abstain') addRow(abstained, unit)
  }
  const weigh = (row: Row) => (rule.base === 'units' ? BigInt(row.upToDate.units) : row.upToDate.coefficient)
  const denominator =
    rule.denominator === 'present'
      ? weigh(present)
      : rule.denominator === 'eligible'
        ? weigh(eligible)
        : weigh(cast) - (rule.abstentionsCount ? 0n : weigh(abstained))
  const yes = weigh(options.yes!)
  const no = weigh(options.no!)
  const meets = rule.threshold
    ? reaches(yes, denominator, rule.threshold.n, rule.threshold.d, rule.threshold.strict)
    : true
  const outcome =
    denominator === 0n || (rule.threshold === null && yes === 0n && no === 0n)
      ? 'no_votes'
      : yes > no && meets
        ? 'approved'
        : yes === no && meets
          ? 'tie'
          : 'rejected'
  return {
    options,
    cast,
    abstained,
    present,
    eligible,
    notVoted,
    numerator: yes,
    denominator,
    percent: percent4(yes, denominator),
    outcome,
  }
}
