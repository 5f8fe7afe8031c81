import type { DeskBallotsResult } from '../../../core/motions/schemas.ts'
import { common } from '../i18n/common.ts'
import { deskBallotMessages } from '../i18n/desk-ballot.ts'
import { post, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { formatTime } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText } from '../lib/layout.ts'
import type { MotionView } from '../lib/live.ts'

const t = translator<keyof typeof deskBallotMessages.es>(common, deskBallotMessages)

/**
 * The desk records the ballot of a unit present (an owner without a phone) for an open motion,
 * through the same vote path as every channel, and prints the owner a receipt.
 */
export function deskBallotForm(
  organizationId: string,
  motion: MotionView,
  unit: { unitId: string; number: string },
): HTMLElement {
  const id = `desk-ballot-${motion.id}-${unit.unitId}`
  const type = motion.choiceMode === 'multiple' ? 'checkbox' : 'radio'
  const message = h('div', { 'aria-live': 'polite' })
  const container = h('div', { class: 'desk-ballot' })
  const form = h(
    'form',
    {
      class: 'stack',
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault()
        void submit(event.target as HTMLFormElement)
      },
    },
    h(
      'fieldset',
      null,
      h('legend', null, t('legend', { title: motion.title })),
      motion.secret ? h('p', { class: 'muted' }, t('secret')) : null,
      motion.options.map((option) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { type, name: 'option', value: option.key }),
          ` ${option.label}`,
        ),
      ),
    ),
    h('label', { for: `${id}-reason` }, t('reason')),
    h('input', { id: `${id}-reason`, name: 'reason', value: t('reasonDefault'), maxlength: 500 }),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('submit', { unit: unit.number })),
  )
  replace(container, form)

  async function submit(target: HTMLFormElement): Promise<void> {
    const data = new FormData(target)
    const optionKeys = data.getAll('option').map(String)
    if (optionKeys.length === 0) {
      replace(message, errorBox(t('chooseOne')))
      return
    }
    try {
      const result = await post<DeskBallotsResult>(
        `/organizations/${seg(organizationId)}/motions/${seg(motion.id)}/desk-ballots`,
        {
          kind: 'desk',
          reason: String(data.get('reason') ?? '').trim(),
          ballots: [{ unitId: unit.unitId, optionKeys }],
        },
      )
      const vote = result.accepted[0]
      if (!vote) {
        replace(message, errorBox(t('refused', { reason: result.refused[0]?.message ?? '' })))
        return
      }
      replace(container, receipt(motion.title, vote.unitNumber, vote.receiptCode))
    } catch (error) {
      replace(message, errorBox(t('refused', { reason: errorText(error) })))
    }
  }
  return container
}

/** A receipt to print for the owner: never the choice (secret motions), only the code to check. */
function receipt(title: string, unitNumber: string, code: string): HTMLElement {
  return h(
    'div',
    { class: 'card stack desk-receipt', id: 'desk-receipt', role: 'region', 'aria-label': t('receiptTitle') },
    h('h4', null, t('receiptTitle')),
    h('p', null, t('receiptUnit', { unit: unitNumber, title })),
    h('p', null, t('receiptCode')),
    h('p', { class: 'desk-code-value', translate: 'no' }, code),
    h('p', { class: 'muted' }, t('receiptAt', { time: formatTime(new Date().toISOString()) })),
    h('p', { class: 'muted' }, t('receiptHint')),
    h('button', { type: 'button', onclick: () => window.print() }, t('print')),
  )
}
