import type { ActaDictionary, ActaLanguage } from './i18n.ts'
import type { ActaModel } from './model.ts'

/* The blocks an acta is laid out in: the HTML and PDF renderers only draw these. */

export interface ActaColumn {
  label: string
  numeric?: boolean
  /** Relative width, for renderers that need one (PDF). */
  width: number
}

export type ActaBlock =
  | { type: 'fields'; fields: [string, string][] }
  | { type: 'paragraph'; text: string }
  | { type: 'quote'; text: string }
  | { type: 'subheading'; text: string }
  | { type: 'table'; columns: ActaColumn[]; rows: string[][] }
  | { type: 'signatures'; lines: { role: string; name: string; signed?: string }[] }

export interface ActaSection {
  heading: string
  blocks: ActaBlock[]
}

export interface ActaDocument {
  language: ActaLanguage
  title: string
  subtitle: string
  /** 'BORRADOR' until the acta is final (then the words for a final acta). */
  status: string | null
  sections: ActaSection[]
  footer: string
}

/** Where the acta is in its life (draft at the close, reviewed, final once both officers signed). */
export interface ActaSeal {
  status: 'draft' | 'reviewed' | 'final'
  signOffs: { role: 'president' | 'secretary'; signerName: string; signedAt: Date; hash: string }[]
  /** SHA-256 of the canonical JSON of the frozen record; null before the close. */
  hash: string | null
}

/** What every section builder receives. */
export interface ActaContext {
  model: ActaModel
  t: ActaDictionary
  when: (date: Date) => string
  time: (date: Date) => string
  language: ActaLanguage
  seal: ActaSeal | null
}

/** The fields that have a value (empty and missing ones are left out of the acta). */
export function present(fields: [string, string | null][]): [string, string][] {
  return fields.filter((field): field is [string, string] => field[1] !== null && field[1] !== '')
}
