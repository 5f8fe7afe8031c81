import { fileURLToPath } from 'node:url'
import PDFDocument from 'pdfkit'
import { type ActaBlock, type ActaColumn, type ActaSeal, buildActaDocument } from './document.ts'
import type { ActaModel } from './model.ts'

export interface ActaPdfOptions {
  /** 'es' (default) or 'en'. */
  language?: string
  /** Where the acta is in its life: draft/reviewed/final and the sign-offs. */
  seal?: ActaSeal | null
  /** Compress content streams (default true); tests turn it off to read the text back. */
  compress?: boolean
  /**
   * A TrueType font for the body (and one for bold), e.g. one with Chinese glyphs for such names. By
   * default DejaVu Sans, shipped in ./fonts (Latin, Greek, Cyrillic and many symbols).
   */
  fontPath?: string
  boldFontPath?: string
}

type Pdf = InstanceType<typeof PDFDocument>

const MARGIN = 56
const BODY_SIZE = 10
const SMALL_SIZE = 8.5

/** The acta as a text-based A4 PDF with the same content as the HTML, page numbers in the footer. */
export async function renderActaPdf(model: ActaModel, options: ActaPdfOptions = {}): Promise<Uint8Array> {
  const document = buildActaDocument(model, options.language, options.seal)
  // PDF/A-2b: an archival PDF (fonts embedded, XMP metadata with the PDF/A identification, sRGB output
  // intent), the format a registry or a court can still open decades later.
  const pdf = new PDFDocument({
    subset: 'PDF/A-2b',
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    bufferPages: true,
    lang: document.language,
    info: { Title: `${document.title} — ${document.subtitle}`, CreationDate: model.generatedAt },
  })
  const chunks: Uint8Array[] = []
  pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve)
    pdf.on('error', reject)
  })

  const fonts = registerFonts(pdf, options)
  const text = (value: string) => value
  const writer: Writer = { pdf, fonts, text }

  pdf.font(fonts.bold).fontSize(15).text(text(document.title), { align: 'center' })
  pdf.font(fonts.regular).fontSize(12).text(text(document.subtitle), { align: 'center' })
  if (document.status)
    pdf.font(fonts.bold).fontSize(10).fillColor('#8a1c1c').text(text(document.status), { align: 'center' })
  pdf.fillColor('#000000')
  for (const section of document.sections) {
    // A heading never ends a page alone; the signature lines keep their heading with them.
    ensureSpace(pdf, section.blocks[0]?.type === 'signatures' ? 180 : 60)
    pdf.moveDown(1).font(fonts.bold).fontSize(12).text(text(section.heading), MARGIN)
    pdf.moveDown(0.3)
    for (const block of section.blocks) drawBlock(writer, block)
  }
  drawFooters(writer, document.footer)
  pdf.end()
  await finished
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

interface Writer {
  pdf: Pdf
  fonts: { regular: string; bold: string }
  text: (value: string) => string
}

const DEFAULT_FONT = fileURLToPath(new URL('./fonts/DejaVuSans.ttf', import.meta.url))
const DEFAULT_BOLD_FONT = fileURLToPath(new URL('./fonts/DejaVuSans-Bold.ttf', import.meta.url))

/** Embedded TrueType fonts only: PDF/A refuses the standard (non-embedded) PDF fonts. */
function registerFonts(pdf: Pdf, options: ActaPdfOptions) {
  const regular = options.fontPath ?? DEFAULT_FONT
  pdf.registerFont('ActaBody', regular)
  pdf.registerFont('ActaBold', options.boldFontPath ?? (options.fontPath ? regular : DEFAULT_BOLD_FONT))
  return { regular: 'ActaBody', bold: 'ActaBold' }
}

function drawBlock(writer: Writer, block: ActaBlock): void {
  const { pdf, fonts, text } = writer
  const width = contentWidth(pdf)
  switch (block.type) {
    case 'fields':
      for (const [label, value] of block.fields) {
        ensureSpace(pdf, 14)
        pdf
          .font(fonts.bold)
          .fontSize(BODY_SIZE)
          .text(`${text(label)}: `, MARGIN, pdf.y, { continued: true, width })
        pdf.font(fonts.regular).text(text(value))
      }
      pdf.moveDown(0.3)
      return
    case 'paragraph':
      pdf.font(fonts.regular).fontSize(BODY_SIZE).text(text(block.text), MARGIN, pdf.y, { width })
      pdf.moveDown(0.3)
      return
    case 'quote':
      pdf
        .font(fonts.regular)
        .fontSize(BODY_SIZE)
        .text(text(block.text), MARGIN + 16, pdf.y, { width: width - 16 })
      pdf.moveDown(0.3)
      return
    case 'subheading':
      ensureSpace(pdf, 40)
      pdf
        .moveDown(0.3)
        .font(fonts.bold)
        .fontSize(BODY_SIZE + 1)
        .text(text(block.text), MARGIN, pdf.y, { width })
      pdf.moveDown(0.2)
      return
    case 'table':
      drawTable(writer, block.columns, block.rows)
      return
    case 'signatures':
      drawSignatures(writer, block.lines)
      return
  }
}

function drawTable(writer: Writer, columns: ActaColumn[], rows: string[][]): void {
  const { pdf, fonts, text } = writer
  const totalWidth = contentWidth(pdf)
  const unit = totalWidth / columns.reduce((sum, column) => sum + column.width, 0)
  const widths = columns.map((column) => column.width * unit)
  const padding = 3
  const drawRow = (cells: string[], bold: boolean) => {
    pdf.font(bold ? fonts.bold : fonts.regular).fontSize(SMALL_SIZE)
    const heights = cells.map((cell, i) =>
      pdf.heightOfString(text(cell), { width: (widths[i] ?? 0) - 2 * padding }),
    )
    const height = Math.max(...heights, SMALL_SIZE) + 2 * padding
    if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) {
      pdf.addPage()
      if (!bold)
        drawRow(
          columns.map((column) => column.label),
          true,
        )
    }
    const top = pdf.y
    let x = MARGIN
    cells.forEach((cell, i) => {
      const cellWidth = widths[i] ?? 0
      pdf.rect(x, top, cellWidth, height).lineWidth(0.4).strokeColor('#999999').stroke()
      pdf.text(text(cell), x + padding, top + padding, {
        width: cellWidth - 2 * padding,
        align: columns[i]?.numeric ? 'right' : 'left',
      })
      x += cellWidth
    })
    pdf.x = MARGIN
    pdf.y = top + height
  }
  drawRow(
    columns.map((column) => column.label),
    true,
  )
  for (const row of rows) drawRow(row, false)
  pdf.moveDown(0.5)
}

function drawSignatures(writer: Writer, lines: { role: string; name: string; signed?: string }[]): void {
  const { pdf, fonts, text } = writer
  ensureSpace(pdf, 110)
  const gap = 40
  const width = (contentWidth(pdf) - gap * (lines.length - 1)) / lines.length
  const top = pdf.y + 60
  let bottom = top
  lines.forEach((line, i) => {
    const x = MARGIN + i * (width + gap)
    pdf
      .moveTo(x, top)
      .lineTo(x + width, top)
      .lineWidth(0.8)
      .strokeColor('#000000')
      .stroke()
    pdf
      .font(fonts.regular)
      .fontSize(BODY_SIZE)
      .text(text(line.name), x, top + 4, { width, align: 'center' })
    pdf.font(fonts.bold).text(text(line.role), x, pdf.y, { width, align: 'center' })
    if (line.signed)
      pdf
        .font(fonts.regular)
        .fontSize(SMALL_SIZE)
        .text(text(line.signed), x, pdf.y, { width, align: 'center' })
    bottom = Math.max(bottom, pdf.y)
  })
  pdf.x = MARGIN
  pdf.y = bottom
  pdf.moveDown(0.5)
}

function drawFooters(writer: Writer, footer: string): void {
  const { pdf, fonts, text } = writer
  const range = pdf.bufferedPageRange()
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index)
    // Writing inside the bottom margin would make pdfkit start a new page; lift the margin meanwhile.
    const bottom = pdf.page.margins.bottom
    pdf.page.margins.bottom = 0
    pdf
      .font(fonts.regular)
      .fontSize(7.5)
      .fillColor('#555555')
      .text(`${text(footer)} · ${index + 1}/${range.count}`, MARGIN, pdf.page.height - 36, {
        width: contentWidth(pdf),
        align: 'center',
        lineBreak: false,
      })
    pdf.page.margins.bottom = bottom
  }
}

function ensureSpace(pdf: Pdf, needed: number): void {
  if (pdf.y + needed > pdf.page.height - pdf.page.margins.bottom) pdf.addPage()
}

function contentWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right
}

// For PDFs drawn with the standard fonts (the notice PDF): Windows-1252 characters outside Latin-1
// that those fonts can still show.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', '→': '->', '≠': '!=', '−': '-' }

/** Text the standard fonts can encode: symbols spelled out, accents kept, anything else '?'. */
export function toWinAnsi(value: string): string {
  let out = ''
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      WIN_ANSI_EXTRA.has(char) ||
      char === '\n'
    ) {
      out += char
      continue
    }
    const replacement = REPLACEMENTS[char]
    if (replacement) {
      out += replacement
      continue
    }
    // Letters with accents outside Latin-1 (e.g. 'ř') keep their base letter.
    const base = char.normalize('NFD').replace(/\p{M}/gu, '')
    out += base && [...base].every((c) => (c.codePointAt(0) ?? 0) <= 0xff) ? base : '?'
  }
  return out
}
