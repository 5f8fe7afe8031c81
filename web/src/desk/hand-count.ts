import type { DeskBallotsResult } from '../../../core/motions/schemas.ts'
import { common } from '../i18n/common.ts'
import { handCountMessages } from '../i18n/hand-count.ts'
import { ApiError, get, post, seg } from '../lib/api.ts'
import { announce, h, replace } from '../lib/dom.ts'
import { selectField, textField } from '../lib/forms.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox, unitList } from '../lib/layout.ts'
import type { MotionView } from '../lib/live.ts'

const t = translator<keyof typeof handCountMessages.es>(common, handCountMessages)

/** "101, 102 103" → ['101', '102', '103'] (commas, semicolons, spaces or new lines). */
export function unitNumbersIn(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
}

/**
 * A show of hands (or a pile of paper ballots) entered as one ballot per unit: the clerk types the
 * units present under each option and records them in one request, through the same vote path as
 * every channel (channel desk, the staff member and the reason audited). Units are matched to those
 * checked in; unknown or repeated numbers are named before anything is sent.
 */
export function handCountForm(assemblyPath: string, organizationId: string, motion: MotionView): HTMLElement {
  const id = `hand-count-${motion.id}`
  const message = h('div', { 'aria-live': 'polite' })
  const form = h(
    'form',
    {
      class: 'card stack hand-count',
      novalidate: true,
      'aria-labelledby': `${id}-title`,
      onsubmit: (event: Event) => {
        event.preventDefault()
        void submit(event.target as HTMLFormElement)
      },
    },
    h('h2', { id: `${id}-title` }, t('title', { title: motion.title })),
    h('p', { class: 'muted' }, t('hint')),
    selectField({
      name: 'kind',
      label: t('kind'),
      options: [
        { value: 'show_of_hands', label: t('showOfHands') },
        { value: 'paper', label: t('paper') },
      ],
    }),
    motion.options.map((option) =>
      textField({
        name: `option-${option.key}`,
        label: t('unitsFor', { option: option.label }),
        props: { inputmode: 'numeric', autocomplete: 'off' },
      }),
    ),
    textField({ name: 'reason', label: t('reason'), value: t('reasonDefault'), props: { maxlength: 500 } }),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('submit')),
  )

  async function submit(target: HTMLFormElement): Promise<void> {
    const data = new FormData(target)
    const chosen = motion.options.flatMap((option) =>
      unitNumbersIn(String(data.get(`option-${option.key}`) ?? '')).map((number) => ({
        number,
        key: option.key,
      })),
    )
    if (chosen.length === 0) {
      replace(message, errorBox(t('empty')))
      return
    }
    const counts = new Map<string, number>()
    for (const { number } of chosen) counts.set(number, (counts.get(number) ?? 0) + 1)
    const twice = [...counts].filter(([, n]) => n > 1).map(([number]) => number)
    if (twice.length) {
      replace(message, errorBox(t('twice', { units: unitList(twice) })))
      return
    }
    try {
      const { attendance } = await get<{ attendance: { unitId: string; unitNumber: string }[] }>(
        `${assemblyPath}/attendance?openOnly=true`,
      )
      const unitIdOf = new Map(attendance.map((row) => [row.unitNumber.toLowerCase(), row.unitId]))
      const unknown = chosen.filter(({ number }) => !unitIdOf.has(number.toLowerCase())).map((c) => c.number)
      if (unknown.length) {
        replace(message, errorBox(t('unknown', { units: unitList(unknown) })))
        return
      }
      const numberOf = new Map(attendance.map((row) => [row.unitId, row.unitNumber]))
      const result = await post<DeskBallotsResult>(
        `/organizations/${seg(organizationId)}/motions/${seg(motion.id)}/desk-ballots`,
        {
          kind: String(data.get('kind')),
          reason: String(data.get('reason') ?? '').trim(),
          ballots: chosen.map(({ number, key }) => ({
            unitId: unitIdOf.get(number.toLowerCase())!,
            optionKeys: [key],
          })),
        },
      )
      const done = t('recorded', { count: String(result.accepted.length) })
      replace(
        message,
        okBox(done),
        result.refused.map((refusal) =>
          errorBox(
            t('refused', {
              unit: numberOf.get(refusal.unitId) ?? refusal.unitId,
              reason: errorText(new ApiError(422, refusal.code, refusal.message)),
            }),
          ),
        ),
      )
      announce(done)
      for (const option of motion.options) {
        const input = target.elements.namedItem(`option-${option.key}`) as HTMLInputElement | null
        if (input) input.value = ''
      }
    } catch (error) {
      replace(message, errorBox(errorText(error)))
    }
  }
  return form
}
