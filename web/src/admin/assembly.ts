import type { ScreenLink } from '../../../core/assemblies/schemas.ts'
import { ApiError, get, patch, post, put, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { onSubmit, textArea, textField } from '../lib/forms.ts'
import { assemblyStatusText, callText } from '../lib/layout.ts'
import { connectLive, ticketUrl } from '../lib/live.ts'
import { quorumGauges } from '../lib/quorum-view.ts'
import { renderActa } from './acta.ts'
import { type AdminContext, createNotices, redrawThenSay, section, t } from './context.ts'
import { renderDocuments } from './documents.ts'
import { renderMotions } from './motions.ts'
import { AGENDA_FIELD_ID, focusField, renderNotice, WINDOW_REASON_ID } from './notice.ts'
import { renderProxies } from './proxies.ts'
import { renderSpeakers } from './speakers.ts'
import type { AgendaItem, Assembly } from './types.ts'

type Target = 'convened' | 'in_progress' | 'suspended' | 'closed' | 'cancelled'

const ACTIONS: Record<
  Assembly['status'],
  { to: Target | 'second_call'; label: Parameters<typeof t>[0]; confirm?: boolean }[]
> = {
  draft: [
    { to: 'convened', label: 'convene' },
    { to: 'cancelled', label: 'cancelAssembly', confirm: true },
  ],
  convened: [
    { to: 'in_progress', label: 'start' },
    { to: 'cancelled', label: 'cancelAssembly', confirm: true },
  ],
  in_progress: [
    { to: 'second_call', label: 'secondCall', confirm: true },
    { to: 'suspended', label: 'suspend' },
    { to: 'closed', label: 'closeAssembly', confirm: true },
  ],
  suspended: [
    { to: 'in_progress', label: 'resume' },
    { to: 'closed', label: 'closeAssembly', confirm: true },
  ],
  closed: [],
  cancelled: [],
}

let live: { close(): void } | null = null

/** Stops the live connection of a previously shown assembly (when the console navigates away). */
export function leaveAssembly(): void {
  live?.close()
  live = null
}

/** One assembly: status and transitions, officers, links (desk, vote, projector), agenda, motions, proxies, acta. */
export async function renderAssembly(
  ctx: AdminContext,
  container: HTMLElement,
  assemblyId: string,
): Promise<void> {
  leaveAssembly()
  const notices = createNotices()
  const path = `${ctx.base}/assemblies/${seg(assemblyId)}`
  const [assembly, agenda] = await Promise.all([
    get<Assembly>(path),
    get<{ items: AgendaItem[] }>(`${path}/agenda`),
  ])
  const quorumArea = h('div', { id: 'admin-quorum' })
  const motionsArea = h('div')
  const proxiesArea = h('div')
  const documentsArea = h('div')
  const screenArea = h('div')
  const actaArea = h('div')
  const query = `organization=${seg(ctx.organizationId)}&assembly=${seg(assembly.id)}`

  const redraw = (message: string) =>
    redrawThenSay(container, () => renderAssembly(ctx, container, assemblyId), message)
  const notice = await renderNotice(ctx, assembly, redraw)

  const transition = async (to: Target | 'second_call', confirmFirst?: boolean) => {
    if (confirmFirst && !confirm(t('confirmAction'))) return
    // Starting before the first-call time needs a reason, which goes in the acta.
    let earlyStartReason: string | undefined
    if (
      to === 'in_progress' &&
      assembly.status === 'convened' &&
      Date.now() < Date.parse(assembly.firstCallAt)
    ) {
      earlyStartReason = prompt(
        t('earlyStartPrompt', { first: formatDateTime(assembly.firstCallAt) }),
      )?.trim()
      if (!earlyStartReason) return
    }
    try {
      if (to === 'second_call') await post(`${path}/second-call`, {})
      else if (to === 'convened')
        await post(`${path}/transition`, { to, windowOverrideReason: notice.reason() })
      else await post(`${path}/transition`, { to, ...(earlyStartReason ? { earlyStartReason } : {}) })
      await redrawThenSay(
        container,
        () => renderAssembly(ctx, container, assemblyId),
        t('transitionDone', { status: assemblyStatusText(to === 'second_call' ? assembly.status : to) }),
      )
    } catch (error) {
      notices.fail(error)
      // Take the administrator to what blocks convening: the first missing field, or the reason.
      if (error instanceof ApiError && error.code === 'incomplete_call')
        document.querySelector<HTMLElement>('#notice-missing a')?.focus()
      if (error instanceof ApiError && error.code === 'notice_window') focusField(WINDOW_REASON_ID)
    }
  }

  const running = assembly.status === 'in_progress' || assembly.status === 'suspended'
  const speakers = running ? renderSpeakers(ctx.organizationId, assembly.id) : null
  const moveAgenda = async (itemId: string, title: string) => {
    try {
      await put(`${path}/agenda-cursor`, { itemId })
      notices.ok(t('agendaMoved', { title }))
    } catch (error) {
      notices.fail(error)
    }
  }

  const createScreenLink = async () => {
    try {
      const link = await post<ScreenLink>(`${path}/screen-link`, {})
      replace(
        screenArea,
        h('p', null, t('screenLinkReady', { until: formatDateTime(link.expiresAt) })),
        h('p', null, h('code', null, link.screenUrl)),
        h('a', { class: 'button', href: link.screenUrl, target: '_blank', rel: 'noopener' }, t('screenOpen')),
      )
    } catch (error) {
      notices.fail(error)
    }
  }

  const officersForm = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim() || null
        try {
          await patch(path, {
            presidentName: text('presidentName'),
            secretaryName: text('secretaryName'),
            officersElection: text('officersElection'),
          })
          notices.ok(t('saved'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'presidentName', label: t('president'), value: assembly.presidentName }),
    textField({ name: 'secretaryName', label: t('secretary'), value: assembly.secretaryName }),
    textArea({ name: 'officersElection', label: t('officersElection'), value: assembly.officersElection }),
    h('button', { type: 'submit' }, t('saveOfficers')),
  )

  const agendaForm = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const title = String(new FormData(form).get('title') ?? '').trim()
        try {
          await post(`${path}/agenda`, { title })
          await redraw(t(assembly.status === 'convened' ? 'agendaAddedCorrected' : 'agendaAdded'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'title', id: AGENDA_FIELD_ID, label: t('agendaNewItem'), required: true }),
    h('button', { type: 'submit' }, t('agendaAdd')),
  )

  const actions = ACTIONS[assembly.status].filter(
    (action) => action.to !== 'second_call' || (assembly.currentCall === 'first' && assembly.secondCallAt),
  )
  replace(
    container,
    h('p', null, h('a', { href: '#assemblies' }, `← ${t('back')}`)),
    h('h2', { id: 'assembly-title' }, assembly.title),
    h(
      'p',
      { class: 'muted' },
      `${t('actaNumber', { n: assembly.number })} · ${assemblyStatusText(assembly.status)} · ${callText(assembly.currentCall)}`,
    ),
    h('p', null, t('when', { first: formatDateTime(assembly.firstCallAt) })),
    assembly.secondCallAt
      ? h('p', null, t('whenSecond', { second: formatDateTime(assembly.secondCallAt) }))
      : null,
    notices.element,
    section(
      'actions-title',
      t('actions'),
      h('h3', null, t('quorumNow')),
      quorumArea,
      h(
        'div',
        { class: 'row' },
        actions.map((action) =>
          h(
            'button',
            {
              type: 'button',
              // The second call is offered only once the live quorum shows the first call failed.
              id: action.to === 'second_call' ? 'second-call-action' : null,
              hidden: action.to === 'second_call' ? true : null,
              class: action.confirm ? 'danger' : 'primary',
              onclick: () => void transition(action.to, action.confirm),
            },
            t(action.label),
          ),
        ),
      ),
    ),
    notice.element,
    section(
      'links-title',
      t('links'),
      h(
        'p',
        { class: 'row' },
        h('a', { class: 'button', href: `/desk?${query}` }, t('deskLink')),
        h('a', { class: 'button', href: `/board?${query}` }, t('boardLink')),
        h('a', { class: 'button', href: `/vote?${query}` }, t('voteLink')),
        h('button', { type: 'button', onclick: () => void createScreenLink() }, t('screenLink')),
      ),
      screenArea,
    ),
    section(
      'agenda-title',
      t('agendaTitle'),
      agenda.items.length === 0
        ? h('p', null, t('agendaEmpty'))
        : h(
            'ol',
            { class: 'agenda-list' },
            agenda.items.map((item) =>
              h(
                'li',
                { 'data-position': item.position },
                h('span', null, item.title),
                h('strong', { class: 'agenda-current-mark', hidden: true }, ` · ${t('agendaCurrent')}`),
                running
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-button agenda-move',
                        onclick: () => void moveAgenda(item.id, item.title),
                      },
                      t('agendaDiscussNow'),
                    )
                  : null,
              ),
            ),
          ),
      agendaForm,
    ),
    speakers?.element ?? null,
    motionsArea,
    documentsArea,
    proxiesArea,
    section('officers-title', t('officers'), officersForm),
    section(
      'acta-title',
      t('actaTitle'),
      actaArea,
      h('p', null, h('a', { class: 'button', href: `#communications=${seg(assembly.id)}` }, t('commsLink'))),
    ),
  )
  const [motions] = await Promise.all([
    renderMotions(ctx, motionsArea, assembly, agenda.items),
    renderProxies(ctx, proxiesArea, assembly.id),
    renderDocuments(ctx, documentsArea, assembly.id, agenda.items),
    renderActa(actaArea, { path, assembly, agenda: agenda.items, redraw }),
  ])
  live = connectLive({
    assemblyId: assembly.id,
    url: ticketUrl,
    onStatus: () => {},
    onSnapshot: (snapshot) => {
      replace(quorumArea, quorumGauges(snapshot.quorum))
      const current = snapshot.assembly.agendaItem?.position
      for (const li of container.querySelectorAll<HTMLElement>('.agenda-list li')) {
        const isCurrent = Number(li.dataset.position) === current
        if (isCurrent) li.setAttribute('aria-current', 'step')
        else li.removeAttribute('aria-current')
        const mark = li.querySelector<HTMLElement>('.agenda-current-mark')
        if (mark) mark.hidden = !isCurrent
        const moveButton = li.querySelector<HTMLElement>('.agenda-move')
        if (moveButton) moveButton.hidden = isCurrent
      }
      const secondCall = document.getElementById('second-call-action')
      if (secondCall) secondCall.hidden = snapshot.quorum.reached
      motions.onLive(snapshot.motions)
      speakers?.onLive(snapshot)
    },
  })
}
