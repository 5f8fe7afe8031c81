import { type ActaBlock, type ActaSeal, buildActaDocument } from './document.ts'
import type { ActaModel } from './model.ts'

const STYLE = `
  @page { size: A4; margin: 2cm; }
  body { font-family: Georgia, 'Times New Roman', serif; font-size: 11pt; line-height: 1.45; color: #111;
    max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 16pt; text-align: center; margin-bottom: 0.2rem; }
  .subtitle { text-align: center; font-size: 13pt; margin-top: 0; }
  h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 1.6rem; break-after: avoid; }
  h3 { font-size: 11.5pt; margin: 1rem 0 0.4rem; break-after: avoid; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.4rem 0; }
  dt { font-weight: bold; }
  dd { margin: 0; overflow-wrap: anywhere; }
  blockquote { border-left: 3px solid #999; margin: 0.4rem 0; padding: 0.2rem 0.8rem; white-space: pre-wrap; }
  p { white-space: pre-wrap; }
  .table-wrap { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; font-size: 9.5pt; }
  th, td { border: 1px solid #bbb; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; }
  th { background: #f0f0f0; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr { break-inside: avoid; }
  .signatures { display: flex; gap: 3rem; margin-top: 4rem; }
  .signature { flex: 1; text-align: center; border-top: 1px solid #111; padding-top: 0.3rem; }
  .signature small { display: block; font-size: 8.5pt; color: #333; margin-top: 0.3rem; }
  .status { text-align: center; font-weight: bold; letter-spacing: 0.08em; color: #8a1c1c; margin: 0.2rem 0; }
  @media (max-width: 40rem) { body { margin: 1rem auto; } dl { grid-template-columns: 1fr; }
    dd { margin-bottom: 0.4rem; } .signatures { flex-direction: column; gap: 3.5rem; } table { font-size: 8.5pt; } }
  footer { margin-top: 2rem; font-size: 8.5pt; color: #555; text-align: center; }
`

/**
 * The acta as a printable, self-contained HTML page (A4 print styles, no scripts, no external assets).
 * Every text from users or the database is escaped. `language` is 'es' (default) or 'en'.
 */
export function renderActaHtml(
  model: ActaModel,
  options: { language?: string; seal?: ActaSeal | null } = {},
): string {
  const document = buildActaDocument(model, options.language, options.seal)
  const sections = document.sections
    .map(
      (section) =>
        `<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${section.blocks.map(renderBlock).join('\n')}\n</section>`,
    )
    .join('\n')
  return [
    '<!doctype html>',
    `<html lang="${document.language}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${document.title} — ${document.subtitle}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(document.title)}</h1>`,
    `<p class="subtitle">${escapeHtml(document.subtitle)}</p>`,
    document.status ? `<p class="status">${escapeHtml(document.status)}</p>` : '',
    '</header>',
    sections,
    `<footer>${escapeHtml(document.footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

function renderBlock(block: ActaBlock): string {
  switch (block.type) {
    case 'fields':
      return `<dl>${block.fields.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`
    case 'quote':
      return `<blockquote>${escapeHtml(block.text)}</blockquote>`
    case 'subheading':
      return `<h3>${escapeHtml(block.text)}</h3>`
    case 'table': {
      const cls = (numeric?: boolean) => (numeric ? ' class="num"' : '')
      const head = block.columns
        .map((column) => `<th${cls(column.numeric)}>${escapeHtml(column.label)}</th>`)
        .join('')
      const body = block.rows
        .map(
          (row) =>
            `<tr>${row.map((cell, i) => `<td${cls(block.columns[i]?.numeric)}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
        )
        .join('\n')
      // Wide tables scroll on their own on a phone instead of widening the page.
      return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`
    }
    case 'signatures':
      return `<div class="signatures">${block.lines
        .map(
          (line) =>
            `<div class="signature">${escapeHtml(line.name)}<br>${escapeHtml(line.role)}` +
            `${line.signed ? `<small>${escapeHtml(line.signed)}</small>` : ''}</div>`,
        )
        .join('')}</div>`
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}
