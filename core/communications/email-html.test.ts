import { describe, expect, it } from 'bun:test'
import { paragraphsHtml } from './email-html.ts'

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
