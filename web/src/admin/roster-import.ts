import { ApiError, post } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent } from '../lib/format.ts'
import { dataTable, onSubmit } from '../lib/forms.ts'
import { errorBox, okBox } from '../lib/layout.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'

export interface ImportReport {
  dryRun: boolean
  applied: boolean
  created: unknown[]
  updated: unknown[]
  unchanged: unknown[]
  missing: unknown[]
  people: { created: unknown[]; updated: unknown[] }
  errors: { line: number | null; column: string | null; code: string; message: string }[]
  totals: { units: number; coefficient: string }
}

export function reportView(report: ImportReport, failed: boolean): Child[] {
  const lines = [
    t('reportCreated', { n: report.created.length }),
    t('reportUpdated', { n: report.updated.length }),
    t('reportUnchanged', { n: report.unchanged.length }),
    t('reportMissing', { n: report.missing.length }),
    t('reportPeople', { created: report.people.created.length, updated: report.people.updated.length }),
    t('reportTotals', {
      units: formatInteger(report.totals.units),
      sum: formatPercent(report.totals.coefficient, 6),
    }),
  ]
  const verdict = failed
    ? t('importFailed')
    : report.applied
      ? t('importDone')
      : report.errors.length > 0
        ? t('dryRunErrors')
        : t('dryRunDone')
  return [
    failed || report.errors.length > 0 ? errorBox(verdict) : okBox(verdict),
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
                error.column ? `${t('importColumn', { column: error.column })}: ` : '',
                error.message,
              ),
            ),
          ),
          t('importErrorsTitle', { n: report.errors.length }),
        )
      : null,
  ]
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
    if (!file) {
      notices.fail(t('chooseFile'))
      return
    }
    try {
      const report = await post<ImportReport>(
        `${ctx.base}/units/import${dryRun ? '?dryRun=true' : ''}`,
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
