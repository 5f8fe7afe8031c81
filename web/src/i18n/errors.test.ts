import { describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { Glob } from 'bun'
import { ApiError } from '../lib/api.ts'
import { errorMessages } from './errors.ts'

/*
 * Every error code the API can answer with must read as a sentence in both languages. The codes are
 * collected from the sources the API is built from (core, functions), so a new code without a message
 * fails here rather than showing "Algo salió mal (some_code)" to a person.
 */

const ROOT = join(import.meta.dir, '..', '..', '..')
const PATTERNS = [
  /new AppError\(\s*\d{3},\s*'([a-z_]+)'/g,
  /errorBody\(\s*'([a-z_]+)'/g,
  // Passkey refusals and per-unit vote refusals name their codes apart from the AppError call.
  /refuse\(\s*'([a-z_]+)'/g,
  /code: '([a-z_]+)' as const/g,
]
const REFUSAL_FILES = new Set(['core/motions/eligibility.ts'])

async function apiErrorCodes(): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  for (const dir of ['core', 'functions']) {
    for await (const file of new Glob(`${dir}/**/*.ts`).scan(ROOT)) {
      // The roster import reports its own per-line codes (web/src/i18n/admin-roster.ts, ie_*).
      if (file.endsWith('.test.ts') || file.includes('/testing') || file.startsWith('core/ph/csv-')) continue
      const text = await Bun.file(join(ROOT, file)).text()
      for (const pattern of PATTERNS) {
        for (const match of text.matchAll(pattern)) codes.set(match[1]!, file)
      }
      if (REFUSAL_FILES.has(file))
        for (const match of text.matchAll(/code: '([a-z_]+)'/g)) codes.set(match[1]!, file)
    }
  }
  return codes
}

describe('error messages', () => {
  it('finds the codes the API returns (the scan itself works)', async () => {
    const codes = await apiErrorCodes()
    for (const known of ['not_found', 'validation_failed', 'proxy_exists', 'unit_in_use', 'not_present'])
      expect(codes.has(known)).toBe(true)
    expect(codes.size).toBeGreaterThan(50)
  })

  it('has a Spanish and an English message for every code the API can return', async () => {
    const missing: string[] = []
    for (const [code, file] of await apiErrorCodes()) {
      for (const lang of ['es', 'en'] as const) {
        const message = (errorMessages[lang] as Record<string, string>)[code]
        if (!message?.trim()) missing.push(`${lang}:${code} (${file})`)
      }
    }
    expect(missing).toEqual([])
  })

  it('never shows the raw code, and the two languages differ', () => {
    for (const code of Object.keys(errorMessages.es) as Array<keyof typeof errorMessages.es>) {
      expect(errorMessages.es[code]).not.toContain(code)
      expect(errorMessages.en[code]).not.toContain(code)
      expect(errorMessages.es[code]).not.toBe(errorMessages.en[code])
    }
  })
})

describe('errorText', () => {
  const store = new Map<string, string>()
  globalThis.localStorage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
  } as Storage
  const inLang = async (lang: 'es' | 'en', error: unknown) => {
    store.set('assembly.lang', lang)
    const { errorText } = await import('../lib/layout.ts')
    return errorText(error)
  }

  it('says what a refused delete means in the reader language', async () => {
    const error = new ApiError(409, 'unit_in_use', 'Unit 3B has votes', { votes: 1 })
    expect(await inLang('es', error)).toContain('No se puede eliminar la unidad')
    expect(await inLang('en', error)).toContain('Cannot delete the unit')
  })

  it('names the field of a validation error by its label, without the English server text', async () => {
    const error = new ApiError(422, 'validation_failed', "phone: '12' is not a phone number", [
      { field: 'phone', message: "'12' is not a phone number" },
    ])
    expect(await inLang('es', error)).toBe('Revise el campo «Teléfono»: el valor no es válido.')
    expect(await inLang('en', error)).toBe('Check the field “Phone”: the value is not valid.')
  })

  it('names the convocatoria fields by their labels, and never shows a field code or English text', async () => {
    const url = new ApiError(422, 'validation_failed', 'meetingUrl: must be an http(s) URL', [
      { field: 'body.meetingUrl', message: 'must be an http(s) URL' },
    ])
    expect(await inLang('es', url)).toBe(
      'Revise el campo «Enlace de la reunión virtual»: el valor no es válido.',
    )
    const directed = new ApiError(
      422,
      'validation_failed',
      'instructions.x: is not a motion of this assembly',
      [
        {
          field: 'instructions.5f0c2a52-0000-4000-8000-000000000000',
          message: 'is not a motion of this assembly',
        },
      ],
    )
    expect(await inLang('es', directed)).toBe('Revise el campo «Cómo debe votar»: el valor no es válido.')
    const unknown = new ApiError(422, 'validation_failed', 'zzzField: must be shorter', [
      { field: 'body.zzzField', message: 'must be shorter' },
    ])
    for (const lang of ['es', 'en'] as const) {
      const text = await inLang(lang, unknown)
      expect(text).not.toContain('zzzField')
      expect(text).not.toContain('must be shorter')
    }
    expect(await inLang('es', unknown)).toBe(
      'Revise los datos del formulario: hay un valor que no es válido.',
    )
  })

  it('lists the unknown units of a bulk change', async () => {
    const error = new ApiError(422, 'unknown_units', 'No unit matches 9Z', { unknown: ['9Z', '10Z'] })
    expect(await inLang('es', error)).toBe('Estas unidades no existen en el PH: 9Z, 10Z. No se cambió nada.')
  })
})
