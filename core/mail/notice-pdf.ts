import PDFDocument from 'pdfkit'
import { toWinAnsi } from '../acta/pdf.ts'

const MARGIN = 64

/**
 * The notice as a one-or-more-page A4 PDF: the PH's name as heading, then each line of the notice
 * (agenda items indented). Standard Helvetica, so text outside Windows-1252 is replaced (as the acta).
 */
export async function renderNoticePdf(input: {
  organizationName: string
  title: string
  lines: readonly string[]
  language: string
  createdAt: Date
  compress?: boolean
}): Promise<Uint8Array> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: input.compress ?? true,
    lang: input.language === 'en' ? 'en' : 'es',
    info: { Title: toWinAnsi(input.title), CreationDate: input.createdAt },
  })
  const chunks: Uint8Array[] = []
  pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk))
  const finished = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve)
    pdf.on('error', reject)
  })
  pdf.font('Helvetica-Bold').fontSize(16).text(toWinAnsi(input.organizationName), { align: 'center' })
  pdf.moveDown(0.3)
  pdf.font('Helvetica').fontSize(12).text(toWinAnsi(input.title), { align: 'center' })
  pdf.moveDown(1.2)
  pdf.fontSize(11)
  for (const [index, line] of input.lines.entries()) {
    const indented = line.startsWith('  ')
    const lastOfList = indented && !input.lines[index + 1]?.startsWith('  ')
    const heading = line.endsWith(':') && !indented
    pdf
      .font(heading ? 'Helvetica-Bold' : 'Helvetica')
      .text(toWinAnsi(line.trim()), MARGIN + (indented ? 18 : 0), undefined, {
        width: pdf.page.width - 2 * MARGIN - (indented ? 18 : 0),
      })
    pdf.moveDown(indented && !lastOfList ? 0.2 : 0.6)
  }
  pdf.end()
  await finished
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
