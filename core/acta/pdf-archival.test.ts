import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createScenario } from '../motions/testing.ts'
import { buildActa } from './model.ts'
import { renderActaPdf } from './pdf.ts'
import { pdfFonts } from './pdf-text.ts'

/*
 * The acta PDF is archival: PDF/A-2b (the identification in its XMP metadata) with every font embedded,
 * checked with poppler's pdffonts when it is installed.
 */

let handle: DatabaseHandle
let pdf: Uint8Array
beforeAll(async () => {
  handle = await createTestDatabase()
  const scenario = await createScenario(handle.db, {
    units: [{ number: '1A', coefficient: '100', present: 'in_person' }],
  })
  pdf = await renderActaPdf(await buildActa(handle.db, scenario))
}, 60_000)
afterAll(() => handle.close())

describe('the acta PDF for the archive', () => {
  it('declares PDF/A-2b in its XMP metadata, with an output intent', () => {
    const text = Buffer.from(pdf).toString('latin1')
    expect(text).toStartWith('%PDF-1.7')
    expect(text).toMatch(/<pdfaid:part>2<\/pdfaid:part>/)
    expect(text).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/)
    expect(text).toContain('/OutputIntents')
  })

  it('embeds every font it uses (pdffonts: emb = yes)', async () => {
    const fonts = await pdfFonts(pdf)
    if (fonts === null) {
      console.warn('pdffonts (poppler-utils) is not installed: font embedding not checked')
      return
    }
    expect(fonts.length).toBeGreaterThanOrEqual(2)
    expect(fonts.filter((font) => !font.embedded)).toEqual([])
    expect(fonts.every((font) => font.name.includes('DejaVuSans'))).toBe(true)
  })
})
