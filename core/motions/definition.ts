import { getMajorityPreset } from '../rules/presets.ts'
import type { ChoiceMode, MajorityRule, MotionOption, Threshold } from '../rules/types.ts'

/** A problem with one field of a motion definition, in the uniform `field` notation of the API. */
export interface DefinitionIssue {
  field: string
  message: string
}

/** What a caller may send to define a motion; every field optional so the same shape serves edits. */
export interface MotionDefinitionInput {
  title?: string
  description?: string | null
  agendaItemId?: string | null
  /** null or absent on create: yes / no / abstain, labelled in the PH's language. */
  options?: readonly MotionOption[] | null
  choiceMode?: ChoiceMode
  secret?: boolean
  /** A preset name from core/rules/presets or a custom rule; 'simple' when absent on create. */
  majorityRule?: string | MajorityRule
  requiresQuorum?: boolean
  /** An election: how many seats (1..50); its options are the candidates. null: not an election. */
  seats?: number | null
}

/** A motion definition after validation, ready to store. */
export interface MotionDefinition {
  title: string
  description: string | null
  agendaItemId: string | null
  options: MotionOption[]
  choiceMode: ChoiceMode
  secret: boolean
  majorityRule: MajorityRule
  requiresQuorum: boolean
  seats: number | null
}

export type DefinitionResult =
  | { ok: true; value: MotionDefinition }
  | { ok: false; issues: DefinitionIssue[] }

const MAX_TITLE = 300
const MAX_DESCRIPTION = 10_000
const MAX_OPTIONS = 50
const MAX_SEATS = 50
const MAX_LABEL = 200
const OPTION_KEY = /^[a-z0-9][a-z0-9_-]{0,31}$/
const OPTION_KINDS = new Set(['yes', 'no', 'abstain', 'choice'])
const BASES = new Set(['coefficient', 'units'])
const DENOMINATORS = new Set(['cast', 'present', 'eligible'])

const defaultLabels: Record<string, Record<'yes' | 'no' | 'abstain', string>> = {
  es: { yes: 'Sí', no: 'No', abstain: 'Abstención' },
  en: { yes: 'Yes', no: 'No', abstain: 'Abstain' },
}

/** The default yes / no / abstain options, labelled in `language` ('es' when unknown). */
export function yesNoAbstainOptions(language = 'es'): MotionOption[] {
  const labels = defaultLabels[language] ?? defaultLabels.es!
  return [
    { key: 'yes', label: labels.yes, kind: 'yes' },
    { key: 'no', label: labels.no, kind: 'no' },
    { key: 'abstain', label: labels.abstain, kind: 'abstain' },
  ]
}

/**
 * Validates a motion definition and fills the defaults. `current` is the stored definition when
 * editing: fields absent from `input` keep their current value and the result is checked as a whole
 * (a new rule must still fit the old options). Never throws; returns every issue found.
 */
export function validateMotionDefinition(
  input: MotionDefinitionInput,
  options: { language?: string; current?: MotionDefinition } = {},
): DefinitionResult {
  const { current } = options
  const issues: DefinitionIssue[] = []
  const title = (input.title ?? current?.title ?? '').trim()
  if (title === '') issues.push({ field: 'title', message: 'is required' })
  if (title.length > MAX_TITLE)
    issues.push({ field: 'title', message: `is longer than ${MAX_TITLE} characters` })

  const description = pick(input.description, current?.description ?? null)?.trim() || null
  if (description && description.length > MAX_DESCRIPTION) {
    issues.push({ field: 'description', message: `is longer than ${MAX_DESCRIPTION} characters` })
  }

  const motionOptions =
    input.options === undefined
      ? (current?.options ?? yesNoAbstainOptions(options.language))
      : input.options === null
        ? yesNoAbstainOptions(options.language)
        : // Only the known fields: options are stored and hashed into the result, stray keys must not ride along.
          input.options.map((option) => ({ key: option.key, label: option.label?.trim(), kind: option.kind }))
  const seats = pick(input.seats, current?.seats ?? null)
  // An election ticks up to `seats` candidates: multiple choice unless the caller says otherwise.
  const choiceMode = input.choiceMode ?? (seats !== null ? 'multiple' : (current?.choiceMode ?? 'single'))
  issues.push(...optionIssues(motionOptions, choiceMode))
  issues.push(...electionIssues(seats, motionOptions, choiceMode))

  const rule = resolveMajorityRule(input.majorityRule ?? current?.majorityRule ?? 'simple')
  if (!rule.ok) issues.push(...rule.issues)

  if (issues.length > 0 || !rule.ok) return { ok: false, issues }
  return {
    ok: true,
    value: {
      title,
      description,
      agendaItemId: pick(input.agendaItemId, current?.agendaItemId ?? null),
      options: motionOptions,
      choiceMode,
      secret: input.secret ?? current?.secret ?? false,
      majorityRule: rule.value,
      requiresQuorum: input.requiresQuorum ?? current?.requiresQuorum ?? true,
      seats,
    },
  }
}

/**
 * A majority rule from a preset name (an editable copy) or a custom rule, validated field by field
 * so that a stored rule can always be evaluated by core/rules/majority.
 */
export function resolveMajorityRule(
  rule: string | MajorityRule,
): { ok: true; value: MajorityRule } | { ok: false; issues: DefinitionIssue[] } {
  if (typeof rule === 'string') {
    const preset = getMajorityPreset(rule)
    if (!preset)
      return { ok: false, issues: [{ field: 'majorityRule', message: `unknown preset '${rule}'` }] }
    return { ok: true, value: preset }
  }
  const issues: DefinitionIssue[] = []
  if (!BASES.has(rule.base))
    issues.push({ field: 'majorityRule.base', message: 'must be coefficient or units' })
  if (!DENOMINATORS.has(rule.denominator)) {
    issues.push({ field: 'majorityRule.denominator', message: 'must be cast, present or eligible' })
  }
  if (typeof rule.abstentionsCount !== 'boolean') {
    issues.push({ field: 'majorityRule.abstentionsCount', message: 'must be a boolean' })
  }
  if (typeof rule.eligibleOnly !== 'boolean') {
    issues.push({ field: 'majorityRule.eligibleOnly', message: 'must be a boolean' })
  }
  if (rule.threshold !== null) {
    const problem = thresholdProblem(rule.threshold)
    if (problem) issues.push({ field: 'majorityRule.threshold', message: problem })
  }
  if (issues.length > 0) return { ok: false, issues }
  // Copy only the known fields: the rule is stored and hashed, so stray keys must not ride along.
  const value: MajorityRule = {
    base: rule.base,
    denominator: rule.denominator,
    threshold: rule.threshold && { ...rule.threshold },
    abstentionsCount: rule.abstentionsCount,
    eligibleOnly: rule.eligibleOnly,
  }
  if (typeof rule.preset === 'string') value.preset = rule.preset
  if (rule.countArrears === true) value.countArrears = true
  return { ok: true, value }
}

function thresholdProblem(threshold: Threshold | undefined): string | null {
  if (!threshold || typeof threshold !== 'object') return 'must be null or { numerator, denominator, strict }'
  const { numerator, denominator, strict } = threshold
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator))
    return 'must be a fraction of integers'
  if (numerator < 0 || denominator <= 0) return 'needs numerator >= 0 and denominator > 0'
  // A threshold above the whole could never be met: the motion would be rejected whatever the votes.
  if (numerator > denominator || (strict === true && numerator === denominator)) return 'can never be met'
  if (typeof strict !== 'boolean') return 'strict must be a boolean'
  return null
}

/** Checks the options the same way core/rules/majority reads them, so every stored motion can be decided. */
function optionIssues(options: readonly MotionOption[], choiceMode: ChoiceMode): DefinitionIssue[] {
  if (choiceMode !== 'single' && choiceMode !== 'multiple') {
    return [{ field: 'choiceMode', message: 'must be single or multiple' }]
  }
  if (options.length === 0) return [{ field: 'options', message: 'needs at least one option' }]
  if (options.length > MAX_OPTIONS)
    return [{ field: 'options', message: `has more than ${MAX_OPTIONS} options` }]

  const issues: DefinitionIssue[] = []
  const keys = new Set<string>()
  options.forEach((option, index) => {
    const field = `options.${index}`
    if (typeof option.key !== 'string' || !OPTION_KEY.test(option.key)) {
      issues.push({ field: `${field}.key`, message: 'must be 1-32 lowercase letters, digits, _ or -' })
    } else if (keys.has(option.key)) {
      issues.push({ field: `${field}.key`, message: `'${option.key}' is used more than once` })
    }
    keys.add(option.key)
    if (!option.label) issues.push({ field: `${field}.label`, message: 'is required' })
    else if (option.label.length > MAX_LABEL) {
      issues.push({ field: `${field}.label`, message: `is longer than ${MAX_LABEL} characters` })
    }
    if (!OPTION_KINDS.has(option.kind)) {
      issues.push({ field: `${field}.kind`, message: 'must be yes, no, abstain or choice' })
    }
  })
  if (issues.length > 0) return issues

  const count = (kind: MotionOption['kind']) => options.filter((option) => option.kind === kind).length
  const [yes, no, abstain, choice] = [count('yes'), count('no'), count('abstain'), count('choice')]
  if (yes > 1 || no > 1 || abstain > 1)
    issues.push({ field: 'options', message: 'has more than one yes, no or abstain' })
  if (choice > 0 && yes + no > 0) issues.push({ field: 'options', message: 'cannot mix yes/no with choices' })
  if (no > 0 && yes === 0) issues.push({ field: 'options', message: 'a no option needs a yes option' })
  if (yes + choice === 0)
    issues.push({ field: 'options', message: 'needs a yes option or at least one choice' })
  // Several answers to a yes/no question would count one unit on both sides.
  if (choiceMode === 'multiple' && yes + no > 0) {
    issues.push({ field: 'choiceMode', message: 'multiple choice needs choice options, not yes/no' })
  }
  return issues
}

/** An election: 1..50 seats, candidates (choice options, an abstention allowed), multiple choice. */
function electionIssues(
  seats: number | null,
  options: readonly MotionOption[],
  choiceMode: ChoiceMode,
): DefinitionIssue[] {
  if (seats === null) return []
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS) {
    return [{ field: 'seats', message: `must be a whole number from 1 to ${MAX_SEATS}` }]
  }
  const issues: DefinitionIssue[] = []
  if (options.some((option) => option.kind === 'yes' || option.kind === 'no')) {
    issues.push({ field: 'options', message: 'an election needs candidates (choice options), not yes/no' })
  }
  if (choiceMode !== 'multiple') {
    issues.push({ field: 'choiceMode', message: 'an election is multiple choice (up to seats candidates)' })
  }
  return issues
}

function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value
}
