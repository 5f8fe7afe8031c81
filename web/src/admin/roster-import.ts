import type { ImportError, ImportReport } from '../../../core/ph/schemas.ts'
import { rosterMessages } from '../i18n/admin-roster.ts'
import { ApiError, post } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent } from '../lib/format.ts'
import { dataTable, onSubmit } from '../lib/forms.ts'
import { errorBox, okBox } from '../lib/layout.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'

const HUNDRED = /^100(\.0+)?$/

/** The error in the interface's language: what is wrong and how to fix it (the API's text otherwise). */
export function importErrorText(error: ImportError): string {
  const key = `ie_${error.code}` as keyof typeof rosterMessages.es
  if (!(key in rosterMessages.es)) return error.message
  const value = error.value ?? ''
  const sum = /^-?\d+(\.\d+)?$/.test(value) ? formatPercent(value, 6).replace(/\s?%$/, '') : value
  return t(key, { value: sum })
}

export function reportView(report: ImportReport, failed: boolean): Child[] {
  const sumOk = HUNDRED.test(report.after.coefficient)
  const lines = [
    t('reportCreated', { n: report.created.length }),
    t('reportUpdated', { n: report.updated.length }),
    t('reportUnchanged', { n: report.unchanged.length }),
    report.mode === 'replace'
      ? t(report.applied ? 'reportRemovedDone' : 'reportRemoved', { n: report.removed.length }) +
        (report.removed.length > 0 ? ` (${report.removed.map((unit) => unit.number).join(', ')})` : '')
      : t('reportKept', { n: report.missing.length }),
    t('reportPeople', { created: report.people.created.length, updated: report.people.updated.length }),
    t('reportTotals', {
      units: formatInteger(report.totals.units),
      sum: formatPercent(report.totals.coefficient, 6),
    }),
  ]
  const after = t(sumOk ? 'reportAfter' : 'reportAfterBad', {
    units: formatInteger(report.after.units),
    sum: formatPercent(report.after.coefficient, 6),
  })
  const verdict = failed
    ? t('importFailed')
    : report.applied
      ? t('importDone')
      : report.errors.length > 0
        ? t('dryRunErrors')
        : t('dryRunDone')
  return [
    failed || report.errors.length > 0 ? errorBox(verdict) : okBox(verdict),
    h('p', { class: sumOk ? null : 'notice notice-error' }, h('strong', null, after)),
    h(
      'ul',
      null,
      lines.map((line) => h('li', null, line)),
    ),
    report.errors.length > 0
      ? dataTable(
          [{ label: t('colLine'), numeric: true }, { label: t('colProblem') }],
          report.errors.map((error) =>
            h(
              'tr',
              null,
              h('td', { class: 'number' }, error.line === null ? t('importFile0') : String(error.line)),
              h(
                'td',
                null,
                error.column ? `${t('importColumn', { column: error.column })}` : '',
                error.value !== undefined &&
                  !['sum_mismatch', 'sum_after_mismatch', 'unit_in_use'].includes(error.code)
                  ? `${error.column ? ', ' : ''}${t('importValue', { value: error.value })}`
                  : '',
                error.column || error.value !== undefined ? ': ' : '',
                importErrorText(error),
              ),
            ),
          ),
          t('importErrorsTitle', { n: report.errors.length }),
        )
      : null,
  ]
}

function modeChoice(value: 'replace' | 'update', label: string, hint: string): HTMLElement {
  const id = `import-mode-${value}`
  return h(
    'div',
    { class: 'choice-block' },
    h(
      'label',
      { class: 'choice', for: id },
      h('input', {
        id,
        type: 'radio',
        name: 'mode',
        value,
        required: true,
        'aria-describedby': `${id}-hint`,
      }),
      label,
    ),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
  )
}

/** The CSV import of the roster, with a dry run; `applied` redraws the page with the report. */
export function importSection(
  ctx: AdminContext,
  shown: ImportReport | undefined,
  applied: (report: ImportReport) => Promise<void>,
): HTMLElement {
  const notices = createNotices()
  const reportArea = h('div', { 'aria-live': 'polite' }, shown ? reportView(shown, false) : null)
  const submitImport = async (form: HTMLFormElement, dryRun: boolean) => {
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0]
    const mode = new FormData(form).get('mode')
    if (mode !== 'replace' && mode !== 'update') {
      notices.fail(t('chooseMode'))
      return
    }
    if (!file) {
      notices.fail(t('chooseFile'))
      return
    }
    try {
      const report = await post<ImportReport>(
        `${ctx.base}/units/import?mode=${mode}${dryRun ? '&dryRun=true' : ''}`,
        await file.text(),
        { contentType: 'text/csv' },
      )
      notices.clear()
      if (report.applied) await applied(report)
      else replace(reportArea, reportView(report, false))
    } catch (error) {
      if (error instanceof ApiError && error.code === 'import_invalid') {
        replace(reportArea, reportView(error.details as ImportReport, true))
        reportArea.querySelector<HTMLElement>('[role="alert"]')?.focus()
      } else {
        notices.fail(error)
      }
    }
  }
  let dryRun = true
  const importForm = h(
    'form',
    { onsubmit: onSubmit((form) => submitImport(form, dryRun)) },
    h('p', { class: 'hint', id: 'import-hint' }, t('importHint')),
    h(
      'fieldset',
      { class: 'owner-editor' },
      h('legend', null, t('importMode')),
      modeChoice('update', t('modeUpdate'), t('modeUpdateHint')),
      modeChoice('replace', t('modeReplace'), t('modeReplaceHint')),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'import-file' }, t('importFile')),
      h('input', {
        id: 'import-file',
        name: 'file',
        type: 'file',
        accept: '.csv,text/csv,text/plain',
        'aria-describedby': 'import-hint',
      }),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', onclick: () => (dryRun = true) }, t('dryRun')),
      h('button', { type: 'submit', class: 'primary', onclick: () => (dryRun = false) }, t('importNow')),
    ),
  )
  return section('import-title', t('importTitle'), notices.element, importForm, reportArea)
}
