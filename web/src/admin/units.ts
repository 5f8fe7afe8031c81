import type { ImportReport, ListedPerson, RosterPage } from '../../../core/ph/schemas.ts'
import { del, get, patch, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent } from '../lib/format.ts'
import { dataTable, onSubmit } from '../lib/forms.ts'
import { arrearsSection } from './arrears.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import { mailSection } from './mail-log.ts'
import { importSection } from './roster-import.ts'
import { loadRosterUnit, type RosterUnit, showEditor } from './unit-editor.ts'

/** Why a person cannot be deleted, or null if they can. */
function keptBecause(person: ListedPerson): string | null {
  const { ownerships, proxies } = person.usage
  if (ownerships === 1) return t('keptOwnerOne')
  if (ownerships > 1) return t('keptOwnerMany', { count: ownerships })
  if (proxies > 0) return t('keptProxies')
  return null
}

/** The person's delete button, or why they cannot be deleted (the server refuses it anyway). */
function deleteControl(person: ListedPerson, remove: () => Promise<void>): HTMLElement {
  const reason = keptBecause(person)
  if (reason) return h('span', { class: 'muted' }, `(${reason})`)
  return h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      'aria-label': `${t('deletePerson')}: ${person.fullName}`,
      onclick: () => void remove(),
    },
    t('deletePerson'),
  )
}

const PAGE = 100

/** Every unit of the PH, page by page (for look-ups by number). */
export async function loadAllUnits(base: string): Promise<RosterUnit[]> {
  const all: RosterUnit[] = []
  let after: string | null = null
  do {
    const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`
    const page: RosterPage = await get<RosterPage>(`${base}/units?limit=1000${query}`)
    all.push(...page.units)
    after = page.next
  } while (after !== null)
  return all
}

function ownersCell(unit: RosterUnit) {
  if (unit.owners.length === 0) return h('span', { class: 'muted' }, t('noOwner'))
  return h(
    'ul',
    { class: 'owner-list' },
    unit.owners.map((owner) =>
      h(
        'li',
        null,
        owner.fullName,
        owner.documentId ? h('span', { class: 'muted' }, ` · ${owner.documentId}`) : null,
        unit.owners.length > 1 && owner.isRepresentative
          ? h('span', { class: 'muted' }, ` (${t('representative')})`)
          : null,
      ),
    ),
  )
}

/**
 * Units with their owners in natural order, searchable and paged; each can be edited (owners and
 * co-owners too), deleted when nothing depends on it, and marked up to date or in arrears. Below:
 * the list of units in arrears, the CSV import, and people without a unit.
 */
const renderGenerations = new WeakMap<HTMLElement, number>()
const lastSearch = new WeakMap<HTMLElement, string>()

export async function renderUnits(
  ctx: AdminContext,
  container: HTMLElement,
  shown?: ImportReport,
  given?: { search: string; message: string | null; editing: string | null },
): Promise<void> {
  // A refresh that names no search (the page redrawn, an import) keeps the administrator's search.
  const state = given ?? { search: lastSearch.get(container) ?? '', message: null, editing: null }
  lastSearch.set(container, state.search)
  // Renders overlap (a save's refresh, then a search): only the latest one may draw.
  const generation = (renderGenerations.get(container) ?? 0) + 1
  renderGenerations.set(container, generation)
  const notices = createNotices()
  const editorArea = h('div')
  const search = state.search
  const query = search ? `&search=${encodeURIComponent(search)}` : ''
  let page = await get<RosterPage>(`${ctx.base}/units?limit=${PAGE}${query}`)
  const units = [...page.units]
  const people = await get<{ people: ListedPerson[] }>(`${ctx.base}/people?limit=500`).catch(() => ({
    people: [] as ListedPerson[],
  }))
  const redraw = (message: string | null, editing: string | null = null) =>
    renderUnits(ctx, container, undefined, { search, message, editing })
  const done = (message: string | null, reopen?: string) => redraw(message, reopen ?? null)
  const openEditor = async (unitId: string) => {
    try {
      showEditor(editorArea, ctx, await loadRosterUnit(ctx, unitId), done)
    } catch (error) {
      notices.fail(error)
    }
  }

  const unitsTable = dataTable(
    [
      { label: t('unitNumber') },
      { label: t('owners') },
      { label: t('finca') },
      { label: t('coefficient'), numeric: true },
      { label: t('upToDate') },
      { label: t('unitActions') },
    ],
    null,
  )
  const tableBody = unitsTable.querySelector('tbody')!
  const countLine = h('p', { class: 'hint', 'aria-live': 'polite' })
  const moreButton = h('button', { type: 'button' }, t('showMore'))
  const drawRows = () => {
    replace(
      tableBody,
      units.map((unit) =>
        h(
          'tr',
          null,
          // The number opens the editor too: on a phone the actions column is off to the right.
          h(
            'th',
            { scope: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                title: t('editUnit', { number: unit.number }),
                onclick: () => openEditor(unit.id),
              },
              unit.number,
            ),
          ),
          h('td', null, ownersCell(unit)),
          h('td', null, unit.finca ?? '—'),
          h('td', { class: 'number' }, formatPercent(unit.coefficient, 6)),
          // Units in arrears stand out when scanning a long list.
          h('td', null, unit.upToDate ? t('upToDateYes') : h('span', { class: 'bad-text' }, t('upToDateNo'))),
          h(
            'td',
            null,
            h(
              'div',
              { class: 'row-actions' },
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': t('editUnit', { number: unit.number }),
                  onclick: () => openEditor(unit.id),
                },
                t('edit'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `${unit.upToDate ? t('markBehind') : t('markUpToDate')} ${unit.number}`,
                  onclick: async () => {
                    try {
                      await patch(`${ctx.base}/units/${seg(unit.id)}`, { upToDate: !unit.upToDate })
                      await redraw(
                        t(unit.upToDate ? 'markedBehind' : 'markedUpToDate', { number: unit.number }),
                      )
                    } catch (error) {
                      notices.fail(error)
                    }
                  },
                },
                unit.upToDate ? t('markBehind') : t('markUpToDate'),
              ),
            ),
          ),
        ),
      ),
    )
    moreButton.hidden = page.next === null
    countLine.textContent = search
      ? page.matching === 0
        ? t('searchNone', { search })
        : t('searchCount', { matching: page.matching, total: page.total, search })
      : t('pageCount', { shown: formatInteger(units.length), matching: formatInteger(page.matching) })
  }
  moreButton.addEventListener('click', async () => {
    if (page.next === null) return
    try {
      page = await get<RosterPage>(
        `${ctx.base}/units?limit=${PAGE}${query}&after=${encodeURIComponent(page.next)}`,
      )
      units.push(...page.units)
      drawRows()
    } catch (error) {
      notices.fail(error)
    }
  })
  drawRows()

  const searchForm = h(
    'form',
    {
      role: 'search',
      class: 'row',
      onsubmit: onSubmit(async (form) => {
        const value = (form.elements.namedItem('search') as HTMLInputElement).value.trim()
        await renderUnits(ctx, container, undefined, { search: value, message: null, editing: null })
      }),
    },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'unit-search' }, t('searchLabel')),
      h('span', { class: 'hint', id: 'unit-search-hint' }, t('searchHint')),
      h('input', {
        id: 'unit-search',
        name: 'search',
        type: 'search',
        value: search,
        'aria-describedby': 'unit-search-hint',
      }),
    ),
    h('button', { type: 'submit' }, t('searchButton')),
    search
      ? h(
          'button',
          {
            type: 'button',
            onclick: () =>
              renderUnits(ctx, container, undefined, { search: '', message: null, editing: null }),
          },
          t('searchClear'),
        )
      : null,
  )

  const everyone = people.people
  const mail = await mailSection(ctx, (message) => redraw(message))
  if (renderGenerations.get(container) !== generation) return
  replace(
    container,
    notices.element,
    editorArea,
    section(
      'units-title',
      t('unitsTitle'),
      h(
        'p',
        null,
        t('unitsSummary', { units: formatInteger(page.total), sum: formatPercent(page.totalCoefficient, 6) }),
      ),
      searchForm,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', onclick: () => showEditor(editorArea, ctx, null, done) }, t('addUnit')),
      ),
      countLine,
      units.length === 0 && !search ? h('p', null, t('noUnits')) : unitsTable,
      moreButton,
    ),
    arrearsSection(ctx, (message) => redraw(message)),
    importSection(ctx, shown, (report) => renderUnits(ctx, container, report)),
    mail,
    everyone.length > 0
      ? section(
          'people-title',
          t('peopleTitle'),
          h('p', { class: 'hint' }, t('peopleHint')),
          h(
            'ul',
            { class: 'plain-list' },
            everyone.map((person) =>
              h(
                'li',
                null,
                person.fullName,
                person.documentId ? ` · ${person.documentId}` : '',
                person.email ? ` · ${person.email}` : '',
                ' ',
                deleteControl(person, async () => {
                  if (!confirm(t('confirmDeletePerson', { name: person.fullName }))) return
                  try {
                    await del(`${ctx.base}/people/${seg(person.id)}`)
                    await redraw(t('personDeleted', { name: person.fullName }))
                  } catch (error) {
                    notices.fail(error)
                  }
                }),
              ),
            ),
          ),
        )
      : null,
  )
  if (state.message) {
    notices.ok(state.message)
    // Actions further down the page (arrears, invitations) report here: bring the message into view.
    if (!state.editing) notices.element.scrollIntoView({ block: 'start' })
  }
  if (state.editing) await openEditor(state.editing)
}
