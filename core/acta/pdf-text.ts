import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
 * Test helpers: what a reader of the PDF sees, through poppler's tools (pdftotext, pdffonts). The acta
 * embeds subset fonts, so its text cannot be read from the raw bytes; null when poppler is missing.
 */

async function withPdfFile<T>(bytes: Uint8Array, run: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'acta-pdf-'))
  try {
    const file = join(dir, 'acta.pdf')
    await writeFile(file, bytes)
    return await run(file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function run(command: string[]): Promise<string> {
  const child = Bun.spawn(command, { stdout: 'pipe', stderr: 'pipe' })
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
  if (code !== 0) throw new Error(`${command[0]} exited with ${code}`)
  return out
}

/** The PDF's text in reading order (pdftotext -layout off), or null when pdftotext is not installed. */
export async function pdfToText(bytes: Uint8Array): Promise<string | null> {
  if (!Bun.which('pdftotext')) return null
  return withPdfFile(bytes, (file) => run(['pdftotext', '-enc', 'UTF-8', file, '-']))
}

/** pdffonts' table rows (name, type, encoding, emb, sub, uni, object, generation), or null without it. */
export async function pdfFonts(bytes: Uint8Array): Promise<{ name: string; embedded: boolean }[] | null> {
  if (!Bun.which('pdffonts')) return null
  const out = await withPdfFile(bytes, (file) => run(['pdffonts', file]))
  return out
    .trim()
    .split('\n')
    .slice(2)
    .map((row) => {
      const cells = row.trim().split(/\s+/)
      // The last five cells are emb, sub, uni, object number and generation.
      return { name: cells[0] ?? '', embedded: cells.at(-5) === 'yes' }
    })
}
