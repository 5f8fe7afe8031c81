import type { Language } from './majority.ts'
import { quorumPresets } from './presets.ts'
import type { SecondCallKind } from './types.ts'

/*
 * Where each preset's figure comes from and how people see it. Ley 284's official text could not be read,
 * so no figure here is marked as the law's text: 'secondary' = a lawyer's or administrator's summary of
 * Ley 284 (the article is named when the summary names it); 'client' = the client's earlier system and
 * documents; 'bylaws' = a clause PHs commonly put in their reglamento de copropiedad. Every preset whose
 * source is not the law's text carries a note asking the PH to confirm it against its reglamento.
 */

export type SourceKind = 'text' | 'secondary' | 'client' | 'bylaws'
type Words = Record<Language, string>

export interface PresetSource {
  kind: SourceKind
  /** The article, when the source names one, e.g. 'Ley 284, art. 35'. */
  article: string | null
}

export interface PresetInfo {
  code: string
  source: PresetSource
  label: Words
  /** The confirmation note (null only for figures from the law's text). */
  note: Words | null
  /** false: an earlier preset kept so stored meetings still show a name; not offered for new ones. */
  offered: boolean
}

const CONFIRM: Words = {
  es: 'Confirme esta cifra con su reglamento de copropiedad.',
  en: 'Confirm this figure with your reglamento de copropiedad (by-laws).',
}

const SOURCE_WORDS: Record<SourceKind, Words> = {
  text: { es: 'texto de la ley', en: "the law's text" },
  secondary: { es: 'fuente secundaria', en: 'secondary source' },
  client: { es: 'práctica del cliente', en: "client's practice" },
  bylaws: { es: 'cláusula habitual de reglamento', en: 'common by-laws clause' },
}

const SECOND_CALL_WORDS: Record<SecondCallKind, Words> = {
  new_convocatoria: { es: '2.ª convocatoria: nueva convocatoria', en: 'second call: a new convocatoria' },
  bylaws_reduced: {
    es: '2.ª convocatoria: quórum reducido del reglamento (un tercio si no se cambia)',
    en: "second call: the by-laws' reduced quorum (one third unless changed)",
  },
  any_present: {
    es: '2.ª convocatoria: cualquier número de presentes',
    en: 'second call: any number present',
  },
}

const QUORUM_FAMILY_WORDS: Record<string, { label: Words; source: PresetSource }> = {
  'ley284-owners': {
    label: {
      es: 'Ley 284 (lectura de fuente secundaria): más de la mitad de los propietarios',
      en: 'Ley 284 (as read by a secondary source): more than half of the owners',
    },
    source: { kind: 'secondary', article: 'Ley 284' },
  },
  'bylaws-coefficient': {
    label: {
      es: 'Reglamento: más de la mitad del coeficiente',
      en: 'By-laws: more than half of the coefficient',
    },
    source: { kind: 'bylaws', article: null },
  },
  'bylaws-units': {
    label: { es: 'Reglamento: más de la mitad de las unidades', en: 'By-laws: more than half of the units' },
    source: { kind: 'bylaws', article: null },
  },
}

function quorumInfo(): Record<string, PresetInfo> {
  const out: Record<string, PresetInfo> = {}
  for (const [code, rule] of Object.entries(quorumPresets)) {
    const family = Object.keys(QUORUM_FAMILY_WORDS).find((prefix) => code.startsWith(`${prefix}-`))
    const words = family ? QUORUM_FAMILY_WORDS[family] : undefined
    const kind = rule.secondCallKind
    if (!words || !kind) throw new Error(`Quorum preset ${code} has no catalog entry`)
    const second = SECOND_CALL_WORDS[kind]
    // A second call is always the by-laws' choice, even when the first-call figure is Ley 284's.
    out[code] = {
      code,
      source: words.source,
      label: { es: `${words.label.es}; ${second.es}`, en: `${words.label.en}; ${second.en}` },
      note: CONFIRM,
      offered: true,
    }
  }
  return out
}

function legacy(es: string, en: string): PresetInfo {
  return {
    code: '',
    source: { kind: 'bylaws', article: null },
    label: { es, en },
    note: {
      es: 'Regla anterior sin fuente que la respalde; revísela con su reglamento de copropiedad.',
      en: 'Earlier rule with no source behind it; check it against your reglamento de copropiedad.',
    },
    offered: false,
  }
}

// Codes earlier versions stored with assemblies; their rules stay as stored, only the name is shown.
const LEGACY_QUORUM: Record<string, PresetInfo> = {
  'ley284-ordinary': legacy(
    'Regla anterior: más de la mitad del coeficiente; 30 % en 2.ª convocatoria',
    'Earlier rule: more than half of the coefficient; 30 % at second call',
  ),
  'ley284-up-to-date-units': legacy(
    'Regla anterior: más de la mitad de las unidades al día; 30 % en 2.ª convocatoria',
    'Earlier rule: more than half of the up-to-date units; 30 % at second call',
  ),
  'half-both-first-call-only': legacy(
    'Regla anterior: más de la mitad del coeficiente y de las unidades; sin 2.ª convocatoria',
    'Earlier rule: more than half of the coefficient and of the units; no second call',
  ),
  'half-then-any-present': legacy(
    'Regla anterior: más de la mitad del coeficiente; 2.ª convocatoria con cualquier número de presentes',
    'Earlier rule: more than half of the coefficient; second call with any number present',
  ),
}

function majority(code: string, source: PresetSource, es: string, en: string): [string, PresetInfo] {
  return [
    code,
    { code, source, label: { es, en }, note: source.kind === 'text' ? null : CONFIRM, offered: true },
  ]
}

const BYLAWS: PresetSource = { kind: 'bylaws', article: null }

const MAJORITY_INFO: Record<string, PresetInfo> = Object.fromEntries([
  majority('simple', BYLAWS, 'Mayoría simple de los votos emitidos', 'Simple majority of the votes cast'),
  majority(
    'absolute',
    BYLAWS,
    'Más de la mitad del coeficiente presente',
    'More than half of the coefficient present',
  ),
  majority('fifty-one-present', BYLAWS, '51 % del coeficiente presente', '51 % of the coefficient present'),
  majority(
    'ley284-art35-first-call',
    { kind: 'secondary', article: 'Ley 284, art. 35' },
    'Cuotas extraordinarias o cambio de cuotas, 1.ª convocatoria (Ley 284, art. 35): 51 % de todas las unidades al día',
    'Extraordinary or changed fees, first call (Ley 284, art. 35): 51 % of all up-to-date units',
  ),
  majority(
    'ley284-art35-second-call',
    { kind: 'secondary', article: 'Ley 284, art. 35' },
    'Cuotas extraordinarias o cambio de cuotas, 2.ª convocatoria (Ley 284, art. 35): 30 % de todas las unidades al día',
    'Extraordinary or changed fees, second call (Ley 284, art. 35): 30 % of all up-to-date units',
  ),
  majority(
    'ley284-art26-fees',
    { kind: 'secondary', article: 'Ley 284, art. 26' },
    'Cuota de gastos comunes fijada de otro modo (Ley 284, art. 26): 66 % de todas las unidades al día',
    'Common-expense fee fixed differently (Ley 284, art. 26): 66 % of all up-to-date units',
  ),
  majority(
    'ley284-common-areas',
    { kind: 'secondary', article: 'Ley 284' },
    'Uso exclusivo de áreas comunes o cambio de coeficientes (Ley 284): 51 % de todas las unidades',
    'Exclusive use of common areas or changed coefficients (Ley 284): 51 % of all units',
  ),
  majority(
    'sixty-six-percent',
    { kind: 'secondary', article: 'Ley 284' },
    'Valores de las unidades (Ley 284): 66 % de todas las unidades',
    'Unit values (Ley 284): 66 % of all units',
  ),
  majority(
    'two-thirds',
    BYLAWS,
    'Dos tercios del coeficiente presente',
    'Two thirds of the coefficient present',
  ),
  majority(
    'three-quarters',
    BYLAWS,
    'Tres cuartos del coeficiente presente',
    'Three quarters of the coefficient present',
  ),
  majority('unanimity', BYLAWS, 'Unanimidad de todo el coeficiente', 'Unanimity of the whole coefficient'),
])

const QUORUM_INFO: Record<string, PresetInfo> = quorumInfo()

/** The display data of a quorum preset (offered or earlier), or null for an unknown code. */
export function quorumPresetInfo(code: string | undefined): PresetInfo | null {
  if (!code) return null
  if (Object.hasOwn(QUORUM_INFO, code)) return QUORUM_INFO[code] ?? null
  const old = Object.hasOwn(LEGACY_QUORUM, code) ? LEGACY_QUORUM[code] : undefined
  return old ? { ...old, code } : null
}

/** The display data of a majority preset, or null for an unknown code. */
export function majorityPresetInfo(code: string | undefined): PresetInfo | null {
  if (!code || !Object.hasOwn(MAJORITY_INFO, code)) return null
  return MAJORITY_INFO[code] ?? null
}

/** Every offered preset, in the order the web client lists them. */
export function listPresets(): { quorum: PresetInfo[]; majority: PresetInfo[] } {
  return { quorum: Object.values(QUORUM_INFO), majority: Object.values(MAJORITY_INFO) }
}

/** "secondary source: Ley 284, art. 35" in the given language. */
export function describeSource(source: PresetSource, language: Language): string {
  const kind = SOURCE_WORDS[source.kind][language]
  return source.article ? `${kind}: ${source.article}` : kind
}
