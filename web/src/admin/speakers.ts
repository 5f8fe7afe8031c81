import { patch } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import type { AssemblySnapshot } from '../lib/live.ts'
import {
  loadSpeakerQueue,
  type SpeakerQueue,
  type SpeakerRequestView,
  speakerStatusText,
  speakersPath,
  ts,
} from '../lib/speakers.ts'
import { createNotices, section } from './context.ts'

/**
 * The administrator's speaker queue for the current agenda item: who asked, in order; give the floor
 * (which ends whoever speaks), skip, end. Redrawn when the live snapshot says the queue changed.
 */
export function renderSpeakers(organizationId: string, assemblyId: string) {
  const list = h('div', { id: 'speaker-queue' })
  const notices = createNotices()
  const element = section('speakers-title', ts('queueTitle'), notices.element, list)
  let queue: SpeakerQueue | null = null
  let seen = ''

  async function refresh(): Promise<void> {
    queue = await loadSpeakerQueue(organizationId, assemblyId).catch((error) => {
      notices.fail(error)
      return queue
    })
    draw()
  }

  async function act(request: SpeakerRequestView, action: 'floor' | 'skip' | 'end'): Promise<void> {
    try {
      await patch(speakersPath(organizationId, assemblyId, `/${encodeURIComponent(request.id)}`), { action })
      notices.clear()
      await refresh()
    } catch (error) {
      notices.fail(error)
    }
  }

  const button = (label: string, onclick: () => void, kind = '') =>
    h('button', { type: 'button', class: kind, onclick }, label)

  function draw(): void {
    if (!queue?.agendaItemId) {
      replace(list, h('p', { class: 'muted' }, ts('queueNoItem')))
      return
    }
    if (queue.requests.length === 0) {
      replace(list, h('p', { class: 'muted' }, ts('queueEmpty')))
      return
    }
    let firstWaiting = true
    replace(
      list,
      h(
        'ol',
        { class: 'speaker-queue' },
        queue.requests.map((request): Child => {
          const actions: Child[] = []
          if (request.status === 'speaking')
            actions.push(button(ts('endSpeech'), () => void act(request, 'end')))
          if (request.status === 'waiting') {
            actions.push(
              button(ts('giveFloor'), () => void act(request, 'floor'), firstWaiting ? 'primary' : ''),
              button(ts('skip'), () => void act(request, 'skip'), 'link-button'),
            )
            firstWaiting = false
          }
          return h(
            'li',
            {
              class: 'speaker-entry',
              'data-status': request.status,
              'aria-current': request.status === 'speaking' ? 'true' : null,
            },
            h('strong', null, request.name),
            ` · ${ts('unitsOf', { units: request.unitNumbers.join(', ') })} · `,
            h('span', { class: 'muted' }, speakerStatusText(request.status)),
            actions.length ? h('span', { class: 'row' }, actions) : null,
          )
        }),
      ),
    )
  }

  return {
    element,
    onLive(snapshot: AssemblySnapshot): void {
      const key = JSON.stringify([snapshot.assembly.agendaItem, snapshot.speakers])
      if (key === seen) return
      seen = key
      void refresh()
    },
  }
}
