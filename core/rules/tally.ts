import type { ChoiceMode, MotionOption } from './types.ts'

/** Thrown when rule inputs are inconsistent (a programming error upstream, never a voter's mistake). */
export class RuleError extends Error {
  override name = 'RuleError'
}

/** A unit entitled to vote on the motion, frozen when the motion closes. */
export interface ElectorateUnit {
  unitId: string
  /** Nano-percent. */
  coefficient: bigint
  upToDate: boolean
  /** Present when the motion closed. */
  present: boolean
}

/** The final vote of one unit. An empty list is a blank ballot (counted as an abstention). */
export interface UnitVote {
  unitId: string
  optionKeys: readonly string[]
}

export interface TallyInput {
  options: readonly MotionOption[]
  choiceMode: ChoiceMode
  electorate: readonly ElectorateUnit[]
  votes: readonly UnitVote[]
}

/** A weight: how many units and how much coefficient (nano-percent). */
export interface TallyCount {
  units: number
  coefficient: bigint
}

/** A weight over all units, with the share coming from up-to-date units beside it. */
export interface TallyRow extends TallyCount {
  upToDate: TallyCount
}

export interface OptionTally extends TallyRow {
  key: string
}

export interface TallyResult {
  /** One row per option, in the order of the options given. */
  options: OptionTally[]
  /** Units that voted at all, abstentions and blank ballots included; each unit once. */
  cast: TallyRow
  /** Units whose vote was an abstain option or a blank ballot. */
  abstained: TallyRow
  /** Units present when the motion closed, whether they voted or not. */
  present: TallyRow
  /** The whole electorate; `upToDate` is the subset that is up to date. */
  eligible: TallyRow
  /** Electorate units without a vote, present or not. */
  notVoted: TallyRow
}

/**
 * Weighted tally of a motion: counts every option by units and by coefficient, for all units and
 * for up-to-date ones, so majorities can be evaluated on any base and denominator afterwards.
 * In 'multiple' mode a vote adds the unit's full weight to every option it chooses.
 * Throws RuleError on duplicate options or units, unknown option keys, votes from outside the
 * electorate, several votes for one unit, or a ballot that does not fit the choice mode.
 */
export function tallyVotes(input: TallyInput): TallyResult {
  const { options, choiceMode, electorate, votes } = input
  if (options.length === 0) throw new RuleError('A motion needs at least one option')

  const optionByKey = indexOptions(options)
  const unitById = indexElectorate(electorate)
  const rows = new Map(options.map((option) => [option.key, emptyRow()]))
  const cast = emptyRow()
  const abstained = emptyRow()
  const voted = new Set<string>()

  for (const vote of votes) {
    const unit = unitById.get(vote.unitId)
    if (!unit) throw new RuleError(`Unit ${vote.unitId} voted but is not in the electorate`)
    if (voted.has(vote.unitId)) throw new RuleError(`Unit ${vote.unitId} has more than one vote`)
    voted.add(vote.unitId)

    const chosen = checkBallot(vote, choiceMode, optionByKey)
    addTo(cast, unit)
    if (chosen.length === 0 || chosen.some((option) => option.kind === 'abstain')) addTo(abstained, unit)
    for (const option of chosen) {
      const row = rows.get(option.key)
      if (row) addTo(row, unit)
    }
  }

  const present = emptyRow()
  const eligible = emptyRow()
  const notVoted = emptyRow()
  for (const unit of electorate) {
    addTo(eligible, unit)
    if (unit.present) addTo(present, unit)
    if (!voted.has(unit.unitId)) addTo(notVoted, unit)
  }

  const optionRows = options.map((option) => ({ key: option.key, ...(rows.get(option.key) ?? emptyRow()) }))
  return { options: optionRows, cast, abstained, present, eligible, notVoted }
}

function indexOptions(options: readonly MotionOption[]): Map<string, MotionOption> {
  const byKey = new Map<string, MotionOption>()
  for (const option of options) {
    if (byKey.has(option.key)) throw new RuleError(`Option key ${option.key} is used more than once`)
    byKey.set(option.key, option)
  }
  return byKey
}

function indexElectorate(electorate: readonly ElectorateUnit[]): Map<string, ElectorateUnit> {
  const byId = new Map<string, ElectorateUnit>()
  for (const unit of electorate) {
    if (byId.has(unit.unitId)) throw new RuleError(`Unit ${unit.unitId} appears twice in the electorate`)
    if (unit.coefficient < 0n) throw new RuleError(`Unit ${unit.unitId} has a negative coefficient`)
    byId.set(unit.unitId, unit)
  }
  return byId
}

function checkBallot(
  vote: UnitVote,
  choiceMode: ChoiceMode,
  optionByKey: ReadonlyMap<string, MotionOption>,
): MotionOption[] {
  const keys = vote.optionKeys
  if (new Set(keys).size !== keys.length) throw new RuleError(`Unit ${vote.unitId} chose an option twice`)
  if (choiceMode === 'single' && keys.length !== 1) {
    throw new RuleError(`Unit ${vote.unitId} must choose exactly one option, chose ${keys.length}`)
  }

  const chosen = keys.map((key) => {
    const option = optionByKey.get(key)
    if (!option) throw new RuleError(`Unit ${vote.unitId} chose unknown option ${key}`)
    return option
  })
  // Abstaining and choosing at the same time would count the unit on both sides.
  if (chosen.length > 1 && chosen.some((option) => option.kind === 'abstain')) {
    throw new RuleError(`Unit ${vote.unitId} combined an abstention with other options`)
  }
  return chosen
}

function emptyRow(): TallyRow {
  return { units: 0, coefficient: 0n, upToDate: { units: 0, coefficient: 0n } }
}

function addTo(row: TallyRow, unit: ElectorateUnit): void {
  row.units += 1
  row.coefficient += unit.coefficient
  if (!unit.upToDate) return
  row.upToDate.units += 1
  row.upToDate.coefficient += unit.coefficient
}
