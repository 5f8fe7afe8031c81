import type {
  ArrearsVoting,
  MajorityRule,
  QuorumBase,
  QuorumRule,
  SecondCallKind,
  Threshold,
} from './types.ts'

/*
 * Named rules as data. Evaluators never hard-code a threshold: a motion or meeting stores the rule it
 * uses (copied from one of these presets, possibly edited by the PH to match its by-laws). Where each
 * figure comes from, and how it is shown to people, lives beside this file in preset-catalog.ts.
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

/** The by-laws' reduced second-call quorum a preset starts with; the PH edits it to its own figure. */
export const DEFAULT_REDUCED_SECOND_CALL: Threshold = Object.freeze(atLeast(1, 3))

const SECOND_CALLS: Record<SecondCallKind, Threshold | null> = {
  new_convocatoria: null,
  bylaws_reduced: DEFAULT_REDUCED_SECOND_CALL,
  any_present: moreThan(0, 1),
}

const SECOND_CALL_SUFFIX: Record<SecondCallKind, string> = {
  new_convocatoria: 'new-call',
  bylaws_reduced: 'bylaws-reduced',
  any_present: 'any-present',
}

/** The first-call families offered: Ley 284 as read by the secondary source, and two by-laws variants. */
const QUORUM_FAMILIES: ReadonlyArray<{ prefix: string; base: QuorumBase }> = [
  { prefix: 'ley284-owners', base: 'owners' },
  { prefix: 'bylaws-coefficient', base: 'coefficient' },
  { prefix: 'bylaws-units', base: 'units' },
]

function buildQuorumPresets(): Record<string, QuorumRule> {
  const rules: Record<string, QuorumRule> = {}
  for (const family of QUORUM_FAMILIES) {
    for (const kind of Object.keys(SECOND_CALLS) as SecondCallKind[]) {
      const preset = `${family.prefix}-${SECOND_CALL_SUFFIX[kind]}`
      const second = SECOND_CALLS[kind]
      rules[preset] = {
        preset,
        base: family.base,
        eligibleOnly: false,
        firstCall: moreThan(1, 2),
        secondCall: second ? { ...second } : null,
        secondCallKind: kind,
      }
    }
  }
  return rules
}

/** Quorum presets by name (frozen; use getQuorumPreset for an editable copy). */
export const quorumPresets: Record<string, QuorumRule> = freezeRules(buildQuorumPresets())

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
  // More than half of the coefficient present (50.5 % approves). Not the same as 51 %.
  absolute: {
    preset: 'absolute',
    base: 'coefficient',
    denominator: 'present',
    threshold: moreThan(1, 2),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  // At least 51 % of the coefficient present (50.5 % does not approve).
  'fifty-one-present': {
    preset: 'fifty-one-present',
    base: 'coefficient',
    denominator: 'present',
    threshold: atLeast(51, 100),
    abstentionsCount: true,
    eligibleOnly: false,
  },
  // Art. 35, first call: 51 % of all units that are up to date.
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
  // Exclusive use of common areas, changing coefficients: 51 % (was 66 %), counted over all units.
  'ley284-common-areas': {
    preset: 'ley284-common-areas',
    base: 'units',
    denominator: 'eligible',
    threshold: atLeast(51, 100),
    abstentionsCount: true,
    eligibleOnly: false,
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
  // Unit values: 66 % of the units, counted over all units.
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

/**
 * A rule as the PH's arrears setting makes it: with 'voice_no_vote' (the default) units in arrears may
 * speak but neither vote nor count, so the rule counts only up-to-date units, unless the rule itself says
 * `countArrears`. Applied when a meeting or motion takes its rule, so the stored rule is what was used.
 */
export function applyArrearsSetting<R extends { eligibleOnly: boolean; countArrears?: boolean }>(
  rule: R,
  setting: ArrearsVoting | string,
): R {
  if (setting !== 'voice_no_vote' || rule.countArrears === true || rule.eligibleOnly) return rule
  return { ...rule, eligibleOnly: true }
}
