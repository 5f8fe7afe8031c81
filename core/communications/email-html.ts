/*
 * The one layout of every communication email: the PH's name as the heading, then the body. Inline
 * styles only (mail programs drop style sheets); readable on a phone without zooming.
 */

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/** Paragraphs as HTML, escaped, each with its first mention of `url` made a link to it. */
export function paragraphsHtml(paragraphs: readonly string[], url: string): string {
  return paragraphs
    .map((paragraph) =>
      escapeHtml(paragraph).replace(escapeHtml(url), `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`),
    )
    .map((paragraph) => `<p>${paragraph}</p>`)
    .join('\n')
}

/**
 * Lines as HTML paragraphs, escaped: a line that starts with two spaces (a list item) indented; with
 * `links`, the http(s) addresses of the other lines made links.
 */
export function linesHtml(lines: readonly string[], options: { links?: boolean } = {}): string {
  return lines
    .map((line) => {
      if (line.startsWith('  ')) return `<p style="margin-left:1.5em">${escapeHtml(line.trim())}</p>`
      const text = escapeHtml(line)
      return `<p>${options.links ? text.replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>') : text}</p>`
    })
    .join('\n')
}

/** Text with its http(s) addresses made links, escaped. */
export function linkify(text: string): string {
  return escapeHtml(text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1" style="color:#0b57d0">$1</a>')
}

/** A link drawn as a button (the full address stays in the text version of the email). */
export function emailButton(label: string, href: string): string {
  return `<p style="margin:20px 0"><a href="${escapeHtml(href)}" style="display:inline-block;background:#12396b;color:#ffffff;text-decoration:none;font-weight:bold;padding:12px 20px;border-radius:8px">${escapeHtml(label)}</a></p>`
}

export function emailLayout(input: {
  organizationName: string
  title: string
  body: string
  footer?: string
}) {
  return `<div style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;max-width:640px;margin:0 auto;padding:16px">
<p style="margin:0;font-size:14px;color:#57606a">${escapeHtml(input.organizationName)}</p>
<h1 style="font-size:22px;margin:4px 0 16px">${escapeHtml(input.title)}</h1>
${input.body}
${input.footer ? `<p style="margin-top:24px;font-size:14px;color:#57606a">${linkify(input.footer)}</p>` : ''}
</div>`
}
