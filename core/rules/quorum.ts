import { formatThreshold, meetsThreshold, toPercentString } from '../decimal.ts'
import { RuleError } from './tally.ts'
import type { Call, QuorumRule, Threshold } from './types.ts'

/** A unit as seen by the quorum check. */
export interface QuorumUnit {
  id: string
  /** Nano-percent. */
  coefficient: bigint
  upToDate: boolean
  present: boolean
  /**
   * Who owns the unit, as one key per head (e.g. the sorted ids of its owners). Units with the same key
   * are one head for the 'owners' base; a unit without a key is its own head.
   */
  ownerKey?: string
}

export interface QuorumInput {
  rule: QuorumRule
  call: Call
  units: readonly QuorumUnit[]
}

export interface QuorumResult {
  call: Call
  base: QuorumRule['base']
  eligibleOnly: boolean
  /** Coefficient present over total (both restricted to up-to-date units when eligibleOnly). */
  byCoefficient: { present: bigint; total: bigint; percent: string; met: boolean }
  /** Units present over total (both restricted to up-to-date units when eligibleOnly). */
  byUnits: { present: number; total: number; percent: string; met: boolean }
  /** Owner heads present over all owner heads (see QuorumUnit.ownerKey), restricted likewise. */
  byOwners: { present: number; total: number; percent: string; met: boolean }
  /** Threshold applied for this call; null when the rule does not allow this call. */
  threshold: Threshold | null
  reached: boolean
  /** Why the quorum cannot be reached regardless of attendance, or null. */
  reason: string | null
  explanation: string
}

/**
 * Evaluates the quorum of a meeting at the given call, by coefficient and by units, exactly.
 * `met` on each base says whether that base alone meets the threshold; `reached` applies the
 * rule's base ('both' requires both).
 */
export function evaluateQuorum(input: QuorumInput): QuorumResult {
  const { rule, call, units } = input
  assertUnits(units)

  const counted = rule.eligibleOnly ? units.filter((unit) => unit.upToDate) : units
  const attending = counted.filter((unit) => unit.present)
  const coefficientTotal = sumOf(counted)
  const coefficientPresent = sumOf(attending)
  const threshold = call === 'first' ? rule.firstCall : rule.secondCall

  const coefficientMet = threshold !== null && meetsThreshold(coefficientPresent, coefficientTotal, threshold)
  const unitsMet =
    threshold !== null && meetsThreshold(BigInt(attending.length), BigInt(counted.length), threshold)

  const byCoefficient = {
    present: coefficientPresent,
    total: coefficientTotal,
    percent: toPercentString(coefficientPresent, coefficientTotal),
    met: coefficientMet,
  }
  const byUnits = {
    present: attending.length,
    total: counted.length,
    percent: toPercentString(BigInt(attending.length), BigInt(counted.length)),
    met: unitsMet,
  }

  const heads = countHeads(counted)
  const ownersMet =
    threshold !== null && meetsThreshold(BigInt(heads.present), BigInt(heads.total), threshold)
  const byOwners = {
    present: heads.present,
    total: heads.total,
    percent: toPercentString(BigInt(heads.present), BigInt(heads.total)),
    met: ownersMet,
  }

  const reached = isReached(rule.base, coefficientMet, unitsMet, ownersMet)
  const reason = threshold === null ? `The rule does not allow a meeting at ${call} call` : null
  const explanation = explain({ rule, call, threshold, reached, byCoefficient, byUnits, byOwners })
  return {
    call,
    base: rule.base,
    eligibleOnly: rule.eligibleOnly,
    byCoefficient,
    byUnits,
    byOwners,
    threshold,
    reached,
    reason,
    explanation,
  }
}

function isReached(base: QuorumRule['base'], coefficientMet: boolean, unitsMet: boolean, ownersMet: boolean) {
  if (base === 'coefficient') return coefficientMet
  if (base === 'units') return unitsMet
  if (base === 'owners') return ownersMet
  return coefficientMet && unitsMet
}

/** Owner heads among the counted units, and how many of them have at least one unit present. */
export function countHeads(units: readonly QuorumUnit[]): { present: number; total: number } {
  const all = new Set<string>()
  const present = new Set<string>()
  for (const unit of units) {
    const key = unit.ownerKey ? `o:${unit.ownerKey}` : `u:${unit.id}`
    all.add(key)
    if (unit.present) present.add(key)
  }
  return { present: present.size, total: all.size }
}

function assertUnits(units: readonly QuorumUnit[]): void {
  const ids = new Set<string>()
  for (const unit of units) {
    // Duplicates or negative weights mean the caller built the attendance list wrongly.
    if (ids.has(unit.id)) throw new RuleError(`Unit ${unit.id} is listed more than once`)
    if (unit.coefficient < 0n) throw new RuleError(`Unit ${unit.id} has a negative coefficient`)
    ids.add(unit.id)
  }
}

function sumOf(units: readonly QuorumUnit[]): bigint {
  let total = 0n
  for (const unit of units) total += unit.coefficient
  return total
}

interface ExplainInput {
  rule: QuorumRule
  call: Call
  threshold: Threshold | null
  reached: boolean
  byCoefficient: QuorumResult['byCoefficient']
  byUnits: QuorumResult['byUnits']
  byOwners: QuorumResult['byOwners']
}

function explain(input: ExplainInput): string {
  const { rule, call, threshold, reached, byCoefficient, byUnits, byOwners } = input
  const callName = call === 'first' ? 'First call' : 'Second call'
  if (threshold === null) return `${callName}: not allowed by this rule, so there is no quorum.`

  const upToDate = rule.eligibleOnly ? 'up-to-date ' : ''
  const coefficientText = `${byCoefficient.percent} % of the ${upToDate}coefficient`
  const unitsText = `${byUnits.present} of ${byUnits.total} ${upToDate}units (${byUnits.percent} %)`
  const ownersText = `${byOwners.present} of ${byOwners.total} ${upToDate}owners (${byOwners.percent} %)`
  const present =
    rule.base === 'coefficient'
      ? coefficientText
      : rule.base === 'units'
        ? unitsText
        : rule.base === 'owners'
          ? ownersText
          : `${coefficientText} and ${unitsText}`
  const needs = rule.base === 'both' ? `${formatThreshold(threshold)} of each` : formatThreshold(threshold)
  return `${callName}: ${present} present, needs ${needs}: quorum ${reached ? 'reached' : 'not reached'}.`
}
