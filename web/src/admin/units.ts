import { ApiError, get, post } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent } from '../lib/format.ts'
import { dataTable, onSubmit } from '../lib/forms.ts'
import { errorBox, okBox } from '../lib/layout.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'

interface Unit {
  id: string
  number: string
  finca: string | null
  coefficient: string
  upToDate: boolean
}

interface UnitPage {
  units: Unit[]
  total: number
  totalCoefficient: string
  next: string | null
}

interface Person {
  id: string
  fullName: string
  email: string | null
  hasAccount: boolean
}

interface ImportReport {
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

/** Every unit of the PH, page by page (for look-ups by number). */
export async function loadAllUnits(base: string): Promise<Unit[]> {
  const all: Unit[] = []
  let after: string | null = null
  do {
    const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`
    const page: UnitPage = await get<UnitPage>(`${base}/units?limit=1000${query}`)
    all.push(...page.units)
    after = page.next
  } while (after !== null)
  return all
}

function reportView(report: ImportReport, failed: boolean): Child[] {
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

/** Units with their coefficients, the people of the roster, and the CSV import with a dry run. */
export async function renderUnits(
  ctx: AdminContext,
  container: HTMLElement,
  shown?: ImportReport,
): Promise<void> {
  const notices = createNotices()
  const reportArea = h('div', { 'aria-live': 'polite' }, shown ? reportView(shown, false) : null)
  let page = await get<UnitPage>(`${ctx.base}/units?limit=200`)
  const units = [...page.units]
  const people = await get<{ people: Person[] }>(`${ctx.base}/people?limit=500`).catch(() => ({
    people: [] as Person[],
  }))

  const unitsTable = dataTable(
    [
      { label: t('unitNumber') },
      { label: t('finca') },
      { label: t('coefficient'), numeric: true },
      { label: t('upToDate') },
    ],
    null,
  )
  const tableBody = unitsTable.querySelector('tbody')!
  const moreButton = h('button', { type: 'button' }, t('showMore'))
  const drawRows = () => {
    replace(
      tableBody,
      units.map((unit) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, unit.number),
          h('td', null, unit.finca ?? '—'),
          h('td', { class: 'number' }, formatPercent(unit.coefficient, 6)),
          h('td', null, unit.upToDate ? t('upToDateYes') : t('upToDateNo')),
        ),
      ),
    )
    moreButton.hidden = page.next === null
  }
  moreButton.addEventListener('click', async () => {
    if (page.next === null) return
    page = await get<UnitPage>(`${ctx.base}/units?limit=200&after=${encodeURIComponent(page.next)}`)
    units.push(...page.units)
    drawRows()
  })
  drawRows()

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
        {
          contentType: 'text/csv',
        },
      )
      notices.clear()
      if (report.applied) await renderUnits(ctx, container, report)
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

  replace(
    container,
    notices.element,
    section(
      'units-title',
      t('unitsTitle'),
      h(
        'p',
        null,
        t('unitsSummary', { units: formatInteger(page.total), sum: formatPercent(page.totalCoefficient, 6) }),
      ),
      units.length === 0 ? h('p', null, t('noUnits')) : unitsTable,
      moreButton,
    ),
    section('import-title', t('importTitle'), importForm, reportArea),
    people.people.length > 0
      ? section(
          'people-title',
          t('peopleTitle'),
          h(
            'ul',
            { class: 'plain-list' },
            people.people.map((person) =>
              h('li', null, person.fullName, person.email ? ` · ${person.email}` : ''),
            ),
          ),
        )
      : null,
  )
}
