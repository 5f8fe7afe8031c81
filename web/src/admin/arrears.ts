import type { UpToDateResult } from '../../../core/ph/schemas.ts'
import { ApiError, post } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { checkboxField, onSubmit } from '../lib/forms.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'

/** Unit numbers in a pasted list or an uploaded file: one per line or cell, header words skipped. */
export function unitNumbersIn(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n\r,;\t]+/)
        .map((cell) => cell.trim().replace(/^"|"$/g, ''))
        .filter((cell) => cell !== '' && !/^(unidad|unit|numero|número|number)$/i.test(cell)),
    ),
  ]
}

/** The list of units in arrears, typed or uploaded; every other unit can become up to date at once. */
export function arrearsSection(ctx: AdminContext, done: (message: string) => Promise<void>): HTMLElement {
  const notices = createNotices()
  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const typed = (form.elements.namedItem('arrears') as HTMLTextAreaElement).value
        const file = (form.elements.namedItem('arrearsFile') as HTMLInputElement).files?.[0]
        const numbers = unitNumbersIn(`${typed}\n${file ? await file.text() : ''}`)
        if (numbers.length === 0) {
          notices.fail(t('arrearsEmpty'))
          return
        }
        const others = (form.elements.namedItem('others') as HTMLInputElement).checked
        try {
          const result = await post<UpToDateResult>(`${ctx.base}/units/up-to-date`, {
            units: numbers,
            upToDate: false,
            othersOpposite: others,
          })
          await done(t('arrearsDone', { behind: result.matched, changed: result.changed.length }))
        } catch (error) {
          if (error instanceof ApiError && error.code === 'unknown_units') {
            const unknown = (error.details as { unknown?: string[] } | undefined)?.unknown ?? []
            notices.fail(t('arrearsUnknown', { units: unknown.join(', ') }))
          } else notices.fail(error)
        }
      }),
    },
    h('p', { class: 'hint', id: 'arrears-hint' }, t('arrearsHint')),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'arrears-list' }, t('arrearsList')),
      h('textarea', { id: 'arrears-list', name: 'arrears', rows: 3, 'aria-describedby': 'arrears-hint' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'arrears-file' }, t('arrearsFile')),
      h('input', {
        id: 'arrears-file',
        name: 'arrearsFile',
        type: 'file',
        accept: '.csv,.txt,text/csv,text/plain',
      }),
    ),
    checkboxField({ name: 'others', label: t('arrearsOthers'), checked: true }),
    h('button', { type: 'submit', class: 'primary' }, t('arrearsApply')),
  )
  return section('arrears-title', t('arrearsTitle'), notices.element, form)
}
