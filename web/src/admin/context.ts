import type { AdminKey } from '../i18n/admin.ts'
import type { CommunicationKey } from '../i18n/admin-communications.ts'
import type { MotionKey } from '../i18n/admin-motions.ts'
import type { NoticeKey } from '../i18n/admin-notice.ts'
import type { RosterKey } from '../i18n/admin-roster.ts'
import { adminTables } from '../i18n/admin-tables.ts'
import type { CommonKey } from '../i18n/common.ts'
import { announce, type Child, focusOn, h, replace } from '../lib/dom.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox } from '../lib/layout.ts'

export const t = translator<AdminKey | MotionKey | RosterKey | NoticeKey | CommunicationKey | CommonKey>(
  ...adminTables,
)

/** What every section of the console gets: the PH, its API base path and a way to go elsewhere. */
export interface AdminContext {
  organizationId: string
  /** `/organizations/<id>`, for API paths. */
  base: string
  go(hash: string): void
}

/** A place for a section's outcome messages: shown, announced, and focused when it is an error. */
export function createNotices(): {
  element: HTMLElement
  ok(text: string): void
  fail(error: unknown): void
  show(node: Child): void
  clear(): void
} {
  const element = h('div')
  return {
    element,
    ok(text) {
      replace(element, okBox(text))
      announce(text)
    },
    fail(error) {
      const box = typeof error === 'string' ? errorBox(error) : errorBox(errorText(error))
      replace(element, box)
      focusOn(box)
    },
    show(node) {
      replace(element, node)
    },
    clear() {
      replace(element)
    },
  }
}

/** Redraws a section after a change, then says what happened at its top. */
export async function redrawThenSay(
  container: HTMLElement,
  redraw: () => Promise<unknown>,
  message: string,
): Promise<void> {
  await redraw()
  const notices = createNotices()
  container.prepend(notices.element)
  notices.ok(message)
}

/** A titled card. */
export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children)
}
