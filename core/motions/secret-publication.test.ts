import { describe, expect, it } from 'bun:test'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { getMajorityPreset } from '../rules/presets.ts'
import { buildResult, type CountedVote, type FrozenUnit } from './result-model.ts'
import { type PublishedBody, publishResult, SECRET_COEFFICIENT_DECIMALS } from './secret-publication.ts'

/*
 * The adversary: an owner who knows the roster (every unit's coefficient), the attendance list and
 * everything a non-auditor can read about a closed secret motion. For each option they look for the
 * groups of units whose coefficients add up to the published figure; if exactly one group fits, the
 * secret is broken. The expected behaviour is written here by hand, not taken from the product.
 */

const NANO = 10n ** 9n

/** 60 units whose areas follow four floor plans with per-unit differences; coefficients with 7 decimals. */
function roster(seed: number): bigint[] {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const areas = Array.from(
    { length: 60 },
    () => [72, 95, 118, 160][Math.floor(next() * 4)]! + Math.round(next() * 60) / 10,
  )
  const total = areas.reduce((a, b) => a + b, 0)
  // Percent with 7 decimals, as PHs publish them; the last unit takes the rounding so the sum is 100.
  const coefficients = areas.map((area) => BigInt(Math.round((area / total) * 100 * 1e7)) * 100n)
  const rest = coefficients.slice(0, -1).reduce((a, b) => a + b, 0n)
  coefficients[59] = 100n * NANO - rest
  return coefficients
}

/** Shuffled unit indexes for one seed, so voters and attendees differ between rosters. */
function order(seed: number): number[] {
  let state = seed * 7919
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state
  }
  const indexes = [...Array(60).keys()]
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = next() % (i + 1)
    ;[indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!]
  }
  return indexes
}

/**
 * How many groups of `size` units among `candidates` have a coefficient sum within [low, high]
 * (stops at 2: one is "unique", two means the figure does not single anyone out).
 */
function groupsMatching(weights: bigint[], size: number, low: bigint, high: bigint): number {
  const sorted = [...weights].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const n = sorted.length
  let found = 0
  const search = (start: number, left: number, sum: bigint) => {
    if (found >= 2) return
    if (left === 0) {
      if (sum >= low && sum <= high) found += 1
      return
    }
    // The smallest and largest sums still reachable prune the search.
    let min = 0n
    for (let i = start; i < start + left && i < n; i++) min += sorted[i]!
    let max = 0n
    for (let i = n - left; i < n; i++) max += sorted[i]!
    if (sum + min > high || sum + max < low) return
    for (let i = start; i <= n - left; i++) search(i + 1, left - 1, sum + sorted[i]!)
  }
  search(0, size, 0n)
  return found
}

interface Ballots {
  attending: number
  /** Units voting each option, in the option order yes, no, abstain. */
  yes: number
  no: number
  abstain: number
}

function closeSecretMotion(seed: number, ballots: Ballots) {
  const coefficients = roster(seed)
  const indexes = order(seed)
  const attending = new Set(indexes.slice(0, ballots.attending))
  const units: FrozenUnit[] = coefficients.map((coefficient, i) => ({
    unitId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    number: String(101 + i),
    coefficient,
    upToDate: true,
    attending: attending.has(i),
  }))
  const choices = [
    ...Array(ballots.yes).fill('yes'),
    ...Array(ballots.no).fill('no'),
    ...Array(ballots.abstain).fill('abstain'),
  ]
  const votes: CountedVote[] = choices.map((key, i) => ({
    unitId: units[indexes[i]!]!.unitId,
    optionKeys: [key],
    weight: units[indexes[i]!]!.coefficient,
    upToDate: true,
    receipt: `R${i}`,
  }))
  const body = buildResult(
    {
      title: 'Cuota extraordinaria',
      options: [
        { key: 'yes', label: 'Sí', kind: 'yes' },
        { key: 'no', label: 'No', kind: 'no' },
        { key: 'abstain', label: 'Abstención', kind: 'abstain' },
      ],
      choiceMode: 'single',
      secret: true,
      majorityRule: getMajorityPreset('absolute')!,
      closedAt: new Date('2026-03-14T16:00:00Z'),
      language: 'es',
    },
    units,
    votes,
  )
  return { body, units, votes }
}

/** The options whose voters the adversary pins down from what `published` shows. */
function singledOut(published: PublishedBody<ReturnType<typeof closeSecretMotion>['body']>): string[] {
  const electorate = published.electorate
  const flagged = electorate.some((unit) => unit.voted !== null)
  // With voted flags the search runs over the voters; without them over everyone who attended.
  const candidates = electorate.filter((unit) => (flagged ? unit.voted : unit.attending))
  const weights = candidates.map((unit) => parseCoefficient(unit.coefficient))
  const out: string[] = []
  for (const option of published.totals.tally.options) {
    if (option.units === 0 || option.coefficient === null) {
      // Only a count: a group of that size among the candidates, unique only if it takes all of them.
      if (option.units > 0 && option.units === candidates.length) out.push(option.key)
      continue
    }
    // A figure shown with d decimals covers every sum within half a unit of its last decimal.
    const decimals = option.coefficient.split('.')[1]?.length ?? 0
    const half = (NANO * 10n ** BigInt(9 - decimals)) / 2n / NANO
    const shown = parseCoefficient(option.coefficient)
    const matches = groupsMatching(weights, option.units, shown - half, shown + half - 1n)
    if (matches < 2) out.push(option.key)
  }
  return out
}

describe('published figures of a secret motion', () => {
  it('control: the exact figures with voted flags single out the voters (what an auditor sees)', () => {
    const { body } = closeSecretMotion(1, { attending: 60, yes: 3, no: 2, abstain: 0 })
    expect(singledOut(publishResult(body, { exact: true }))).toEqual(['yes', 'no'])
  })

  it('control: exact figures without voted flags still single out small groups among all 60 units', () => {
    const { body } = closeSecretMotion(1, { attending: 60, yes: 3, no: 2, abstain: 0 })
    const exact = publishResult(body, { exact: true })
    const unflagged = { ...exact, electorate: exact.electorate.map((unit) => ({ ...unit, voted: null })) }
    expect(singledOut(unflagged)).toEqual(['yes', 'no'])
  })

  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'roster %i: no option of a secret motion has its voters pinned down',
    (seed) => {
      for (const ballots of [
        { attending: 60, yes: 3, no: 2, abstain: 0 },
        { attending: 45, yes: 4, no: 3, abstain: 3 },
        { attending: 40, yes: 16, no: 9, abstain: 5 },
        { attending: 30, yes: 12, no: 1, abstain: 2 },
        { attending: 25, yes: 5, no: 5, abstain: 0 },
      ]) {
        const { body } = closeSecretMotion(seed, ballots)
        const published = publishResult(body, { exact: false })
        expect({ ballots, singledOut: singledOut(published) }).toEqual({ ballots, singledOut: [] })
      }
    },
  )

  it('withholds voted flags, rounds to one decimal, and hides weights when a cell is smaller than 3', () => {
    const { body } = closeSecretMotion(2, { attending: 40, yes: 16, no: 9, abstain: 5 })
    const published = publishResult(body, { exact: false })
    expect(published.electorate.every((unit) => unit.voted === null)).toBe(true)
    const yes = published.totals.tally.options.find((option) => option.key === 'yes')!
    expect(yes.coefficient).toMatch(/^\d+\.\d$/)
    const exactYes = body.totals.tally.options.find((option) => option.key === 'yes')!.coefficient
    expect(yes.coefficient).toBe(formatCoefficient(parseCoefficient(exactYes), SECRET_COEFFICIENT_DECIMALS))
    expect(published.explanation).not.toContain(exactYes)
    const small = publishResult(closeSecretMotion(2, { attending: 40, yes: 10, no: 2, abstain: 0 }).body, {
      exact: false,
    })
    expect(small.totals.tally.options.map((option) => [option.units, option.coefficient])).toEqual([
      [10, null],
      [2, null],
      [0, null],
    ])
    expect([small.totals.tally.cast.coefficient, small.totals.majority.percent]).toEqual([null, null])
  })

  it('leaves a named motion exact', () => {
    const { body } = closeSecretMotion(3, { attending: 40, yes: 16, no: 9, abstain: 5 })
    const named = { ...body, totals: { ...body.totals, motion: { ...body.totals.motion, secret: false } } }
    expect(publishResult(named, { exact: false })).toEqual({ ...named, protected: false })
  })
})
