import { assertThreshold, DecimalError } from '../decimal.ts'
import { invalidField } from '../ph/errors.ts'
import { optionalText, requireDate, requireText } from '../ph/validation.ts'
import { getQuorumPreset } from '../rules/presets.ts'
import type { QuorumRule, Threshold } from '../rules/types.ts'
import type { AssemblyKind, AssemblyModality } from './types.ts'

export interface AssemblyInput {
  title: string
  kind: AssemblyKind
  modality: AssemblyModality
  /** Place of the meeting; required to convene an in-person or mixed assembly. */
  location?: string | null
  /** Link of the video meeting; required to convene a remote or mixed assembly. */
  meetingUrl?: string | null
  firstCallAt: Date
  /** Must be after the first call. */
  secondCallAt?: Date | null
  /** A preset name (see core/rules/presets.ts) or a custom rule. */
  quorumRule: string | QuorumRule
  /** Who convened the meeting, and the text of the call (transcribed into the acta). */
  convenedBy?: string | null
  /** Position of who convenes, e.g. Presidente de la Junta Directiva. */
  convenerPosition?: string | null
  callText?: string | null
  presidentName?: string | null
  secretaryName?: string | null
  /** How president and secretary were chosen. */
  officersElection?: string | null
  /** Most units one person may represent by proxy; null for no limit. */
  maxProxiesPerHolder?: number | null
}

export type AssemblyChanges = Partial<AssemblyInput>

/** Validated columns ready to store: as the input, with the quorum rule resolved. */
export type AssemblyValues = Omit<AssemblyChanges, 'quorumRule'> & { quorumRule?: QuorumRule }

const KINDS: readonly AssemblyKind[] = ['ordinary', 'extraordinary']
const MODALITIES: readonly AssemblyModality[] = ['in_person', 'remote', 'mixed']
const BASES: readonly QuorumRule['base'][] = ['coefficient', 'units', 'owners', 'both']
const SECOND_CALL_KINDS = ['new_convocatoria', 'bylaws_reduced', 'any_present'] as const
const TEXT_FIELDS = ['location', 'convenedBy', 'convenerPosition', 'presidentName', 'secretaryName'] as const
const LONG_TEXT_FIELDS = ['callText', 'officersElection'] as const

/**
 * The quorum rule named by a preset, or a custom rule checked field by field (base, eligibleOnly,
 * thresholds as fractions of at most 1). Returns a fresh object holding only known fields.
 * Throws 422 `validation_failed` naming the field.
 */
export function resolveQuorumRule(value: unknown, field = 'quorumRule'): QuorumRule {
  if (typeof value === 'string') {
    const preset = getQuorumPreset(value)
    if (!preset) throw invalidField(field, `there is no quorum preset named '${value}'`)
    return preset
  }
  if (!value || typeof value !== 'object') throw invalidField(field, 'must be a preset name or a rule')
  const rule = value as Record<string, unknown>
  if (!BASES.includes(rule.base as QuorumRule['base'])) {
    throw invalidField(`${field}.base`, `must be one of ${BASES.join(', ')}`)
  }
  if (typeof rule.eligibleOnly !== 'boolean')
    throw invalidField(`${field}.eligibleOnly`, 'must be true or false')
  if (rule.preset !== undefined && typeof rule.preset !== 'string')
    throw invalidField(`${field}.preset`, 'must be text')
  if (rule.countArrears !== undefined && typeof rule.countArrears !== 'boolean')
    throw invalidField(`${field}.countArrears`, 'must be true or false')
  const kind = rule.secondCallKind
  if (kind !== undefined && !SECOND_CALL_KINDS.includes(kind as (typeof SECOND_CALL_KINDS)[number]))
    throw invalidField(`${field}.secondCallKind`, `must be one of ${SECOND_CALL_KINDS.join(', ')}`)
  const resolved: QuorumRule = {
    base: rule.base as QuorumRule['base'],
    eligibleOnly: rule.eligibleOnly,
    firstCall: readThreshold(rule.firstCall, `${field}.firstCall`),
    secondCall: rule.secondCall === null ? null : readThreshold(rule.secondCall, `${field}.secondCall`),
  }
  if (kind === 'new_convocatoria' && resolved.secondCall !== null)
    throw invalidField(`${field}.secondCall`, 'must be null when a new convocatoria is required')
  if (kind !== undefined) resolved.secondCallKind = kind as QuorumRule['secondCallKind']
  if (rule.countArrears === true) resolved.countArrears = true
  return typeof rule.preset === 'string' ? { preset: rule.preset, ...resolved } : resolved
}

function readThreshold(value: unknown, field: string): Threshold {
  if (!value || typeof value !== 'object')
    throw invalidField(field, 'must be a threshold { numerator, denominator, strict }')
  const { numerator, denominator, strict } = value as Record<string, unknown>
  if (typeof strict !== 'boolean') throw invalidField(`${field}.strict`, 'must be true or false')
  const threshold = { numerator, denominator, strict } as Threshold
  try {
    assertThreshold(threshold)
  } catch (error) {
    if (error instanceof DecimalError) throw invalidField(field, error.message)
    throw error
  }
  // More than the whole can never be present: such a rule would make every meeting impossible.
  if (threshold.numerator > threshold.denominator) throw invalidField(field, 'must not exceed 1 (100 %)')
  return threshold
}

/** Validates the fields present in `input`; with `creating`, the required ones must be there. Throws 422. */
export function validateAssembly(input: AssemblyChanges, creating: boolean): AssemblyValues {
  const values: AssemblyValues = {}
  if (creating || input.title !== undefined) values.title = requireText('title', input.title)
  if (creating || input.kind !== undefined) {
    if (!KINDS.includes(input.kind as AssemblyKind))
      throw invalidField('kind', `must be one of ${KINDS.join(', ')}`)
    values.kind = input.kind
  }
  if (creating || input.modality !== undefined) {
    if (!MODALITIES.includes(input.modality as AssemblyModality)) {
      throw invalidField('modality', `must be one of ${MODALITIES.join(', ')}`)
    }
    values.modality = input.modality
  }
  if (creating || input.firstCallAt !== undefined)
    values.firstCallAt = requireDate('firstCallAt', input.firstCallAt)
  if (input.secondCallAt !== undefined) {
    values.secondCallAt = input.secondCallAt === null ? null : requireDate('secondCallAt', input.secondCallAt)
  }
  if (creating || input.quorumRule !== undefined) values.quorumRule = resolveQuorumRule(input.quorumRule)
  for (const field of TEXT_FIELDS) {
    const text = optionalText(field, input[field])
    if (text !== undefined) values[field] = text
  }
  for (const field of LONG_TEXT_FIELDS) {
    const text = optionalText(field, input[field], 20_000)
    if (text !== undefined) values[field] = text
  }
  const meetingUrl = optionalText('meetingUrl', input.meetingUrl, 2000)
  if (meetingUrl !== undefined) values.meetingUrl = meetingUrl === null ? null : checkUrl(meetingUrl)
  if (input.maxProxiesPerHolder !== undefined) {
    const cap = input.maxProxiesPerHolder
    if (cap !== null && (!Number.isSafeInteger(cap) || cap < 1)) {
      throw invalidField('maxProxiesPerHolder', 'must be a whole number of at least 1, or null for no limit')
    }
    values.maxProxiesPerHolder = cap
  }
  return values
}

/** Throws 422 unless the second call comes after the first. */
export function assertCallOrder(firstCallAt: Date, secondCallAt: Date | null): void {
  if (secondCallAt && secondCallAt.getTime() <= firstCallAt.getTime()) {
    throw invalidField('secondCallAt', 'must be after the first call')
  }
}

function checkUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalidField('meetingUrl', 'must be a full link (https://…)')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidField('meetingUrl', 'must be an http(s) link')
  return url.toString()
}
