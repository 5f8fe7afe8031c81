import type { DeskSignInCode } from '../../../core/assemblies/schemas.ts'
import { type CommonKey, common } from '../i18n/common.ts'
import { deskCodeMessages } from '../i18n/desk-code.ts'
import { ApiError, post } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { formatTime } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import { qrCode } from '../lib/qr.ts'

const t = translator<keyof typeof deskCodeMessages.es | CommonKey>(common, deskCodeMessages)

/** A desk sign-in code (POST …/attendance/sign-in-code) and the unit it was issued at. */
export type DeskCode = DeskSignInCode & { unitId: string }

/** Asks the API for a one-time sign-in code for a checked-in person (see core/auth/desk-codes.ts). */
export async function issueDeskCode(
  assemblyPath: string,
  unitId: string,
  personId: string,
): Promise<DeskCode> {
  const issued = await post<DeskSignInCode>(`${assemblyPath}/attendance/sign-in-code`, { personId })
  return { unitId, ...issued }
}

export const deskCodeButtonLabel = () => t('issue')

/** The code as the owner reads it (large), its QR to scan with the phone, and a print button. */
export function deskCodeCard(code: DeskCode, onClose: () => void): HTMLElement {
  return h(
    'div',
    { class: 'card desk-code stack', id: 'desk-code', role: 'region', 'aria-label': t('title') },
    h('h4', null, t('title')),
    h('p', null, t('forPerson', { name: code.personName })),
    h('p', { class: 'desk-code-value', translate: 'no' }, code.code),
    h('div', { class: 'desk-code-qr' }, qrCode(code.url, t('qrLabel', { name: code.personName }))),
    h('p', { class: 'muted' }, t('instructions', { time: formatTime(code.expiresAt) })),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => window.print() }, t('print')),
      h('button', { type: 'button', onclick: onClose }, t('close')),
    ),
  )
}

/** The desk's own words for a refusal it can explain; null: the caller's general message. */
export function deskCodeError(error: unknown): string | null {
  return error instanceof ApiError && error.code === 'person_without_email' ? t('noEmail') : null
}
