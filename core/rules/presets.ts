import type { MajorityRule, QuorumRule, Threshold } from './types.ts'

/*
 * Named rules as data. Evaluators never hard-code a threshold: a motion or meeting stores the rule it
 * uses (copied from one of these presets, possibly edited by the PH to match its by-laws).
 *
 * Sources: Ley 284 de 14 de febrero de 2022 (Gaceta Oficial 29476-C), as summarised in the
 * README's "Data and exact arithmetic" section. Figures marked ASSUMPTION were not found in the law's text yet and must be
 * confirmed against the official Gaceta before being offered as legal defaults.
 */

function atLeast(numerator: number, denominator: number): Threshold {
  return { numerator, denominator, strict: false }
}

function moreThan(numerator: number, denominator: number): Threshold {
  return { numerator, denominator, strict: true }
}

// Presets are shared by every caller; freezing stops one tenant's edit leaking into another's meeting.
function freezeRules<T extends object>(rules: Record<string, T>): Record<string, T> {
  for (const rule of Object.values(rules)) {
    for (const value of Object.values(rule)) {
      if (value !== null && typeof value === 'object') Object.freeze(value)
    }
    Object.freeze(rule)
  }
  return Object.freeze(rules)
}

/** Quorum presets by name (frozen; use getQuorumPreset for an editable copy). */
export const quorumPresets: Record<string, QuorumRule> = freezeRules({
  // ASSUMPTION: "mitad más uno" read as more than half of the coefficients at first call, and 30 % at
  // second call mirroring art. 35's second-call figure. The quorum article of Ley 284 is not confirmed.
  'ley284-ordinary': {
    preset: 'ley284-ordinary',
    base: 'coefficient',
    eligibleOnly: false,
    firstCall: moreThan(1, 2),
    secondCall: atLeast(30, 100),
  },
  // ASSUMPTION: same figures counted over up-to-date units, for PHs whose by-laws follow the
  // unit-count approach of arts. 26 and 35.
  'ley284-up-to-date-units': {
    preset: 'ley284-up-to-date-units',
    base: 'units',
    eligibleOnly: true,
    firstCall: moreThan(1, 2),
    secondCall: atLeast(30, 100),
  },
  // More than half by coefficient and by units at the same time; no second call.
  'half-both-first-call-only': {
    preset: 'half-both-first-call-only',
    base: 'both',
    eligibleOnly: false,
    firstCall: moreThan(1, 2),
    secondCall: null,
  },
  // Second call held with whoever attends (at least one unit), a common by-laws clause.
  'half-then-any-present': {
    preset: 'half-then-any-present',
    base: 'coefficient',
    eligibleOnly: false,
    firstCall: moreThan(1, 2),
    secondCall: moreThan(0, 1),
  },
})

/** Majority presets by name (frozen; use getMajorityPreset for an editable copy). */
export const majorityPresets: Record<string, MajorityRule> = freezeRules({
  // Relative majority of the votes cast; abstentions do not count.
  simple: {
    preset: 'simple',
    base: 'coefficient',
    denominator: 'cast',
    threshold: null,
    abstentionsCount: false,
    eligibleOnly: false,
  },
  // More than half of the coefficient present.
  absolute: {
    preset: 'absolute',
    base: 'coefficient',
    denominator: 'present',
    threshold: moreThan(1, 2),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  // Art. 35: changing ordinary fees or approving extraordinary fees, first call:
  // 51 % of all units that are up to date.
  'ley284-art35-first-call': {
    preset: 'ley284-art35-first-call',
    base: 'units',
    denominator: 'eligible',
    threshold: atLeast(51, 100),
    abstentionsCount: true,
    eligibleOnly: true,
  },
  // Art. 35, second call: 30 % of all units that are up to date.
  'ley284-art35-second-call': {
    preset: 'ley284-art35-second-call',
    base: 'units',
    denominator: 'eligible',
    threshold: atLeast(30, 100),
    abstentionsCount: true,
    eligibleOnly: true,
  },
  // Art. 26: fixing the common-expense fee differently: 66 % of all units that are up to date.
  'ley284-art26-fees': {
    preset: 'ley284-art26-fees',
    base: 'units',
    denominator: 'eligible',
    threshold: atLeast(66, 100),
    abstentionsCount: true,
    eligibleOnly: true,
  },
  'two-thirds': {
    preset: 'two-thirds',
    base: 'coefficient',
    denominator: 'present',
    threshold: atLeast(2, 3),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  'three-quarters': {
    preset: 'three-quarters',
    base: 'coefficient',
    denominator: 'present',
    threshold: atLeast(3, 4),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  // Every unit of the PH, by coefficient: absent units count against.
  unanimity: {
    preset: 'unanimity',
    base: 'coefficient',
    denominator: 'eligible',
    threshold: atLeast(1, 1),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  // Generic 66 % of all units (e.g. unit values, which Ley 284 sets at 66 % of units).
  // ASSUMPTION: counted over all units, not only up-to-date ones; edit per by-laws.
  'sixty-six-percent': {
    preset: 'sixty-six-percent',
    base: 'units',
    denominator: 'eligible',
    threshold: atLeast(66, 100),
    abstentionsCount: true,
    eligibleOnly: false,
  },
})

/** The quorum preset with this name (a fresh copy, safe to edit), or null if there is none. */
export function getQuorumPreset(name: string): QuorumRule | null {
  if (!Object.hasOwn(quorumPresets, name)) return null
  const rule = quorumPresets[name]
  if (!rule) return null
  return {
    ...rule,
    firstCall: { ...rule.firstCall },
    secondCall: rule.secondCall ? { ...rule.secondCall } : null,
  }
}

/** The majority preset with this name (a fresh copy, safe to edit), or null if there is none. */
export function getMajorityPreset(name: string): MajorityRule | null {
  if (!Object.hasOwn(majorityPresets, name)) return null
  const rule = majorityPresets[name]
  if (!rule) return null
  return { ...rule, threshold: rule.threshold ? { ...rule.threshold } : null }
}
