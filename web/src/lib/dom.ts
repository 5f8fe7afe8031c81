/** A few DOM helpers: enough to build accessible pages without a framework. */

export type Child = Node | string | number | null | undefined | false | Child[]
type Handler = (event: Event) => void
export type Props = Record<string, string | number | boolean | null | undefined | Handler>

// Properties that must be set on the element (attributes only give the initial value).
const LIVE_PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate'])

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return
  if (Array.isArray(child)) {
    for (const item of child) append(parent, item)
    return
  }
  parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
}

function applyProps(element: Element, props: Props | null | undefined): void {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value)
    } else if (LIVE_PROPERTIES.has(key)) {
      ;(element as unknown as Record<string, unknown>)[key] = value
      if (key !== 'value' || element.tagName !== 'TEXTAREA') element.setAttribute(key, String(value))
    } else {
      element.setAttribute(key, value === true ? '' : String(value))
    }
  }
}

/** Creates an HTML element: `h('button', { type: 'button', onclick: go }, 'Go')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  applyProps(element, props)
  append(element, children)
  return element
}

/** Creates an SVG element (for gauges and QR codes). */
export function svg(tag: string, props?: Props | null, ...children: Child[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag)
  applyProps(element, props)
  append(element, children)
  return element
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

/** The element with this id; throws when the page lacks it (a build mistake, not a user error). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (!element) throw new Error(`#${id} is missing from the page`)
  return element as T
}

/** Tells screen-reader users something without moving focus (the page's polite live region). */
export function announce(message: string): void {
  const region = document.getElementById('live')
  if (!region) return
  // Clearing first makes the same message be read again when it repeats.
  region.textContent = ''
  setTimeout(() => {
    region.textContent = message
  }, 50)
}

/** Moves focus to an element that is not focusable by default (headings, result panels). */
export function focusOn(element: HTMLElement | null): void {
  if (!element) return
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1')
  element.focus()
}

/** The value of a named control of a form, trimmed ('' when absent). */
export function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name)
  return typeof value === 'string' ? value.trim() : ''
}

/** A URL query parameter of the current page, or null. */
export function param(name: string): string | null {
  return new URLSearchParams(location.search).get(name)
}
