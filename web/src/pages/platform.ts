import type { HostedOrganization } from '../../../core/ph/schemas.ts'
import { common } from '../i18n/common.ts'
import { ApiError, get, loadSession, post } from '../lib/api.ts'
import { announce, field, h, replace } from '../lib/dom.ts'
import { defineMessages, translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox, startPage } from '../lib/layout.ts'

const messages = defineMessages(
  {
    title: 'Administración de la plataforma',
    listTitle: 'PH alojados',
    none: 'Todavía no hay ningún PH.',
    openConsole: 'Abrir consola',
    createTitle: 'Crear un PH y su primer administrador',
    name: 'Nombre del PH',
    slug: 'Identificador corto',
    slugHint: 'Minúsculas, números y guiones; por ejemplo torre-pacifica.',
    legalName: 'Razón social (opcional)',
    timeZone: 'Zona horaria',
    language: 'Idioma',
    adminEmail: 'Correo del administrador del PH',
    adminHint: 'Si la cuenta no existe, se crea; ingresará con un código por correo.',
    create: 'Crear PH',
    created: 'PH «{name}» creado. Enviamos la invitación a {email}; ya puede ingresar.',
    createdNoMail:
      'PH «{name}» creado, pero no se pudo enviar la invitación a {email}. Avísele que ingrese en {url} con ese correo.',
    slugTaken: 'Ya existe un PH con ese identificador. Elija otro.',
    notAdmin: 'Esta página es solo para quien opera la plataforma.',
    spanish: 'Español',
    english: 'Inglés',
  },
  {
    title: 'Platform administration',
    listTitle: 'Hosted PHs',
    none: 'No PH yet.',
    openConsole: 'Open console',
    createTitle: 'Create a PH and its first administrator',
    name: 'PH name',
    slug: 'Short identifier',
    slugHint: 'Lower case, digits and dashes; e.g. torre-pacifica.',
    legalName: 'Legal name (optional)',
    timeZone: 'Time zone',
    language: 'Language',
    adminEmail: 'Email of the PH administrator',
    adminHint: 'The account is created if new; they sign in with an emailed code.',
    create: 'Create PH',
    created: 'PH “{name}” created. The invitation was sent to {email}; they can sign in now.',
    createdNoMail:
      'PH “{name}” created, but the invitation to {email} could not be sent. Tell them to sign in at {url} with that email.',
    slugTaken: 'A PH with this identifier exists. Choose another.',
    notAdmin: 'This page is for the platform operator only.',
    spanish: 'Spanish',
    english: 'English',
  },
)
const t = translator<keyof typeof messages.es | 'loading'>(common, messages)

const state = {
  organizations: null as HostedOrganization[] | null,
  allowed: true,
}

const notices = h('div')
const listArea = h('section', { class: 'card', 'aria-labelledby': 'list-title' })

const page = startPage({ title: () => t('title'), signedIn: true, draw })

function input(name: string, label: string, props: Record<string, string | boolean> = {}, hint?: string) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    hint ? h('span', { class: 'hint', id: `f-${name}-hint` }, hint) : null,
    h('input', { id: `f-${name}`, name, 'aria-describedby': hint ? `f-${name}-hint` : null, ...props }),
  )
}

function draw(main: HTMLElement): void {
  if (!state.allowed) {
    replace(main, h('h1', null, t('title')), errorBox(t('notAdmin')))
    return
  }
  drawList()
  replace(
    main,
    h('h1', null, t('title')),
    notices,
    listArea,
    h(
      'form',
      { class: 'card', onsubmit: create },
      h('h2', null, t('createTitle')),
      input('name', t('name'), { required: true, minlength: '2' }),
      input('slug', t('slug'), { required: true, pattern: '[a-z0-9][a-z0-9-]{1,62}' }, t('slugHint')),
      input('legalName', t('legalName')),
      input('timeZone', t('timeZone'), { value: 'America/Panama' }),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'f-language' }, t('language')),
        h(
          'select',
          { id: 'f-language', name: 'language' },
          h('option', { value: 'es' }, t('spanish')),
          h('option', { value: 'en' }, t('english')),
        ),
      ),
      input(
        'adminEmail',
        t('adminEmail'),
        { type: 'email', required: true, autocomplete: 'off' },
        t('adminHint'),
      ),
      h('button', { type: 'submit', class: 'primary' }, t('create')),
    ),
  )
}

/** Only the list changes when data arrives: a half-filled form is never redrawn. */
function drawList(): void {
  replace(
    listArea,
    h('h2', { id: 'list-title' }, t('listTitle')),
    state.organizations === null
      ? h('p', { class: 'loading' }, t('loading'))
      : state.organizations.length === 0
        ? h('p', null, t('none'))
        : h(
            'ul',
            { class: 'plain-list' },
            state.organizations.map((org) =>
              h(
                'li',
                { class: 'row' },
                h('strong', null, org.name),
                h('span', { class: 'muted mono' }, org.slug),
                h('a', { href: `/admin?organization=${encodeURIComponent(org.id)}` }, t('openConsole')),
              ),
            ),
          ),
  )
}

async function create(event: Event): Promise<void> {
  event.preventDefault()
  const form = event.target as HTMLFormElement
  const body = {
    name: field(form, 'name'),
    slug: field(form, 'slug'),
    legalName: field(form, 'legalName') || undefined,
    timeZone: field(form, 'timeZone') || undefined,
    language: field(form, 'language') || undefined,
    adminEmail: field(form, 'adminEmail'),
  }
  try {
    const result = await post<{ organization: HostedOrganization; invitationSent: boolean }>(
      '/organizations',
      body,
    )
    const message = t(result.invitationSent ? 'created' : 'createdNoMail', {
      name: result.organization.name,
      email: body.adminEmail,
      url: `${location.origin}/sign-in`,
    })
    replace(notices, result.invitationSent ? okBox(message) : errorBox(message))
    // The form ends below the fold: bring the outcome into view where it is written.
    notices.scrollIntoView({ block: 'start', behavior: 'smooth' })
    announce(message)
    ;(event.target as HTMLFormElement).reset()
    await load()
  } catch (error) {
    replace(
      notices,
      errorBox(error instanceof ApiError && error.code === 'slug_taken' ? t('slugTaken') : errorText(error)),
    )
  }
}

async function load(): Promise<void> {
  try {
    const session = await loadSession()
    if (!session.user.isPlatformAdmin) {
      state.allowed = false
      page.redraw()
      return
    }
    state.organizations = (await get<{ organizations: HostedOrganization[] }>('/organizations')).organizations
    drawList()
  } catch (error) {
    replace(notices, errorBox(errorText(error)))
  }
}

void load()
