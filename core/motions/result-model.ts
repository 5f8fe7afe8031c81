import { formatCoefficient, toPercentString } from '../decimal.ts'
import { type Elected, type ElectionResult, rankElection } from '../rules/election.ts'
import { evaluateMajority, type MajorityOutcome, type MajorityResult } from '../rules/majority.ts'
import { type TallyCount, type TallyRow, tallyVotes } from '../rules/tally.ts'
import type { Base, ChoiceMode, MajorityRule, MotionOption, Threshold } from '../rules/types.ts'

/*
 * The result of a closed motion as plain JSON data (bigints as exact decimal strings), computed by
 * pure functions so that the close, the recount and the high-throughput path build it identically.
 */

/** A unit of the PH as frozen at close. */
export interface FrozenUnit {
  unitId: string
  number: string
  /** Nano-percent. */
  coefficient: bigint
  upToDate: boolean
  /** Had an open attendance row when the motion closed. */
  attending: boolean
}

/** A row of the votes table as the result needs it. */
export interface CountedVote {
  unitId: string
  optionKeys: readonly string[]
  /** Nano-percent, snapshot taken when the vote was accepted. */
  weight: bigint
  upToDate: boolean
  receipt: string
}

export interface MotionForResult {
  title: string
  options: readonly MotionOption[]
  choiceMode: ChoiceMode
  secret: boolean
  majorityRule: MajorityRule
  closedAt: Date
  /** Language of the explanation (the PH's language at close; kept in the totals for recounts). */
  language: 'es' | 'en'
  /** An election's seats (core/rules/election), or null. */
  seats?: number | null
}

/** An election's ranking as stored: each candidate's rank and whether it won a seat. */
export interface ElectionJson {
  seats: number
  /** Most weight first; weights are in `tally.options`. */
  candidates: { key: string; rank: number; elected: Elected }[]
}

/** One unit of the frozen electorate, as stored in the snapshot. */
export interface ElectorateEntry {
  unitId: string
  number: string
  /** Percent with 9 decimals. */
  coefficient: string
  upToDate: boolean
  attending: boolean
  voted: boolean
}

export interface CountJson {
  units: number
  /** Percent with 9 decimals. */
  coefficient: string
}

export interface RowJson extends CountJson {
  upToDate: CountJson
}

export interface ResultTotals {
  closedAt: string
  /** Language the explanation was written in (older snapshots: English). */
  language?: 'es' | 'en'
  /**
   * Set when the motion needs quorum and the quorum was lost at some moment while it was open (someone
   * left): the result stands but the acta must say so. Frozen at close; a recount keeps it.
   */
  quorumLostDuringVote?: true
  motion: { title: string; options: MotionOption[]; choiceMode: ChoiceMode; secret: boolean }
  /** Present for an election only: who is elected, who ties for the last seat. */
  election?: ElectionJson
  tally: {
    options: (RowJson & { key: string })[]
    cast: RowJson
    abstained: RowJson
    present: RowJson
    eligible: RowJson
    notVoted: RowJson
  }
  majority: {
    outcome: MajorityOutcome
    winningOption: string | null
    decidingOption: string
    base: Base
    /** Units as an integer string, or percent with 9 decimals, depending on `base`. */
    numerator: string
    denominator: string
    percent: string
    threshold: Threshold | null
  }
  /** Public receipt hashes of the counted votes, sorted. */
  receipts: string[]
}

/** The content of a result snapshot that its hash covers (besides ids, sequence and previous hash). */
export interface ResultBody {
  electorate: ElectorateEntry[]
  totals: ResultTotals
  majorityRule: MajorityRule
  outcome: MajorityOutcome
  explanation: string
}

/**
 * Freezes the electorate and decides the motion. Every unit of the PH is in the electorate; a unit
 * that voted carries the weight and up-to-date flag of its vote (what was checked when it was
 * accepted, so an accepted vote is always counted as accepted) and counts as present, so a voter who
 * left before the close never makes the 'present' denominator smaller than the votes.
 * Throws RuleError when a vote does not fit the motion (it would have been refused on acceptance).
 */
export function buildResult(
  motion: MotionForResult,
  units: readonly FrozenUnit[],
  votes: readonly CountedVote[],
) {
  const voteByUnit = new Map(votes.map((vote) => [vote.unitId, vote]))
  const electorate = [...units]
    .sort((a, b) => compareText(a.unitId, b.unitId))
    .map((unit) => {
      const vote = voteByUnit.get(unit.unitId)
      return {
        unitId: unit.unitId,
        number: unit.number,
        coefficient: vote ? vote.weight : unit.coefficient,
        upToDate: vote ? vote.upToDate : unit.upToDate,
        attending: unit.attending,
        voted: vote !== undefined,
      }
    })
  const tally = tallyVotes({
    options: motion.options,
    choiceMode: motion.choiceMode,
    electorate: electorate.map((unit) => ({
      unitId: unit.unitId,
      coefficient: unit.coefficient,
      upToDate: unit.upToDate,
      present: unit.attending || unit.voted,
    })),
    votes: votes.map((vote) => ({ unitId: vote.unitId, optionKeys: vote.optionKeys })),
  })
  const election = motion.seats
    ? rankElection({
        seats: motion.seats,
        rule: motion.majorityRule,
        tally,
        options: motion.options,
        language: motion.language,
      })
    : null
  const majority = election
    ? electionMajority(election)
    : evaluateMajority({
        rule: motion.majorityRule,
        tally,
        options: motion.options,
        language: motion.language,
      })
  const formatByBase = (value: bigint) =>
    majority.base === 'units' ? value.toString() : formatCoefficient(value)
  const totals: ResultTotals = {
    closedAt: motion.closedAt.toISOString(),
    language: motion.language,
    motion: {
      title: motion.title,
      options: motion.options.map((option) => ({ key: option.key, label: option.label, kind: option.kind })),
      choiceMode: motion.choiceMode,
      secret: motion.secret,
    },
    ...(election
      ? {
          election: {
            seats: election.seats,
            candidates: election.candidates.map(({ key, rank, elected }) => ({ key, rank, elected })),
          },
        }
      : {}),
    tally: {
      options: tally.options.map((row) => ({ key: row.key, ...rowJson(row) })),
      cast: rowJson(tally.cast),
      abstained: rowJson(tally.abstained),
      present: rowJson(tally.present),
      eligible: rowJson(tally.eligible),
      notVoted: rowJson(tally.notVoted),
    },
    majority: {
      outcome: majority.outcome,
      winningOption: majority.winningOption,
      decidingOption: majority.decidingOption,
      base: majority.base,
      numerator: formatByBase(majority.numerator),
      denominator: formatByBase(majority.denominator),
      percent: majority.percent,
      threshold: majority.threshold,
    },
    receipts: votes.map((vote) => vote.receipt).sort(compareText),
  }
  const body: ResultBody = {
    electorate: electorate.map((unit) => ({ ...unit, coefficient: formatCoefficient(unit.coefficient) })),
    totals,
    majorityRule: motion.majorityRule,
    outcome: majority.outcome,
    explanation: majority.explanation,
  }
  return body
}

// An election in the majority block's shape: the leading candidate's share decides nothing alone, but
// every reader of a result (acta, projector, CSV) finds the outcome, base and denominator where it expects.
function electionMajority(election: ElectionResult): MajorityResult {
  const leader = election.candidates[0]!
  return {
    outcome: election.outcome,
    winningOption: election.candidates.find((c) => c.elected === true)?.key ?? null,
    decidingOption: leader.key,
    base: election.base,
    numerator: leader.value,
    denominator: election.denominator,
    percent: toPercentString(leader.value, election.denominator),
    threshold: election.threshold,
    explanation: election.explanation,
  }
}

function countJson(count: TallyCount): CountJson {
  return { units: count.units, coefficient: formatCoefficient(count.coefficient) }
}

function rowJson(row: TallyRow): RowJson {
  return { ...countJson(row), upToDate: countJson(row.upToDate) }
}

// Code-unit order, not locale order: the stored order must not depend on the ICU version.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
