import { describe, expect, it } from 'bun:test'
import { linesHtml, paragraphsHtml } from './email-html.ts'

describe('paragraphsHtml', () => {
  it('escapes each paragraph and links the first mention of the address in it', () => {
    const url = 'https://ph.example.com/vote?a=1&b=2'
    expect(paragraphsHtml(['Hola <Ana>,', `Vote en ${url} (${url})`], url)).toBe(
      '<p>Hola &lt;Ana&gt;,</p>\n' +
        '<p>Vote en <a href="https://ph.example.com/vote?a=1&amp;b=2">https://ph.example.com/vote?a=1&amp;b=2</a>' +
        ' (https://ph.example.com/vote?a=1&amp;b=2)</p>',
    )
  })
})

describe('linesHtml', () => {
  const lines = ['Orden del día:', '  1. Presupuesto & cuotas', 'Vea https://ph.example.com/a']

  it('indents list items and links addresses on request', () => {
    expect(linesHtml(lines, { links: true })).toBe(
      '<p>Orden del día:</p>\n<p style="margin-left:1.5em">1. Presupuesto &amp; cuotas</p>\n' +
        '<p>Vea <a href="https://ph.example.com/a">https://ph.example.com/a</a></p>',
    )
  })

  it('leaves addresses as text by default', () => {
    expect(linesHtml(lines)).toContain('<p>Vea https://ph.example.com/a</p>')
  })
})
