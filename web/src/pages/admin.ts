import { renderAssemblies } from '../admin/assemblies.ts'
import { leaveAssembly, renderAssembly } from '../admin/assembly.ts'
import { renderCommunications } from '../admin/communications.ts'
import { type AdminContext, t } from '../admin/context.ts'
import { renderSettings } from '../admin/settings.ts'
import type { Organization } from '../admin/types.ts'
import { renderUnits } from '../admin/units.ts'
import { ApiError, get, seg } from '../lib/api.ts'
import { h, param, replace } from '../lib/dom.ts'
import { setPlace } from '../lib/format.ts'
import { errorBox, errorText, startPage, tc } from '../lib/layout.ts'

const organizationId = param('organization')
const ctx: AdminContext = {
  organizationId: organizationId ?? '',
  base: `/organizations/${seg(organizationId ?? '')}`,
  go: (hash) => {
    location.hash = hash
  },
}

const state = { organization: null as Organization | null, error: null as string | null }
const content = h('div', { id: 'admin-content' })

const TABS = [
  { hash: 'assemblies', label: 'tabAssemblies' },
  { hash: 'units', label: 'tabUnits' },
  { hash: 'settings', label: 'tabSettings' },
] as const

function currentHash(): string {
  return location.hash.replace(/^#/, '') || 'assemblies'
}

const page = startPage({
  title: () => state.organization?.name ?? t('title'),
  signedIn: true,
  requires: ['organization'],
  draw: (main) => {
    const hash = currentHash()
    const active = hash.startsWith('assembly=') || hash.startsWith('communications=') ? 'assemblies' : hash
    replace(
      main,
      h('h1', null, state.organization?.name ?? t('title')),
      state.error ? errorBox(state.error) : null,
      h(
        'nav',
        { 'aria-label': t('title') },
        h(
          'ul',
          { class: 'tabs' },
          TABS.map((tab) =>
            h(
              'li',
              null,
              h(
                'a',
                { href: `#${tab.hash}`, 'aria-current': tab.hash === active ? 'page' : null },
                t(tab.label),
              ),
            ),
          ),
        ),
      ),
      content,
    )
    void show(hash)
  },
})

async function show(hash: string): Promise<void> {
  if (!state.organization) return
  replace(content, h('p', { class: 'loading' }, tc('loading')))
  if (!hash.startsWith('assembly=')) leaveAssembly()
  try {
    if (hash === 'settings') await renderSettings(ctx, content)
    else if (hash === 'units') await renderUnits(ctx, content)
    else if (hash.startsWith('communications='))
      await renderCommunications(ctx, content, decodeURIComponent(hash.slice(15)))
    else if (hash.startsWith('assembly='))
      await renderAssembly(ctx, content, decodeURIComponent(hash.slice(9)))
    else await renderAssemblies(ctx, content)
  } catch (error) {
    replace(content, errorBox(errorText(error)))
  }
}

addEventListener('hashchange', () => page.redraw())

async function load(): Promise<void> {
  if (!organizationId) return
  try {
    state.organization = await get<Organization>(ctx.base)
    setPlace({ locale: state.organization.locale, timeZone: state.organization.timeZone })
  } catch (error) {
    state.error = error instanceof ApiError && error.status === 404 ? t('notAdmin') : errorText(error)
  }
  page.redraw()
}

void load()
