import { post } from '../lib/api.ts'
import { announce, h, replace } from '../lib/dom.ts'
import { errorBox, errorText, okBox } from '../lib/layout.ts'
import type { AssemblySnapshot } from '../lib/live.ts'
import { loadSpeakerQueue, type SpeakerQueue, speakerLabel, speakersPath, ts } from '../lib/speakers.ts'

/**
 * "Pedir la palabra" on the owner's phone: ask to speak on the current agenda item, see one's place in
 * line and withdraw. The live snapshot says when the queue changed; the owner's own place is then read.
 */
export function createSpeakPanel(organizationId: string, assemblyId: string) {
  const element = h('section', { class: 'card', 'aria-labelledby': 'speak-title' })
  const notice = h('div', { role: 'status' })
  let queue: SpeakerQueue | null = null
  let snapshot: AssemblySnapshot | null = null
  let seen = ''
  let busy = false

  async function refresh(): Promise<void> {
    const before = queue?.mine?.status
    queue = await loadSpeakerQueue(organizationId, assemblyId).catch(() => queue)
    // A note about the last action is stale once the owner's turn moved on.
    if (queue?.mine?.status !== before) replace(notice)
    draw()
  }

  async function act(path: string, done: string): Promise<void> {
    if (busy) return
    busy = true
    try {
      await post(speakersPath(organizationId, assemblyId, path), {})
      await refresh()
      replace(notice, okBox(done))
      announce(done)
    } catch (error) {
      replace(notice, errorBox(errorText(error)))
    } finally {
      busy = false
    }
  }

  function draw(): void {
    const item = snapshot?.assembly.agendaItem
    const now = snapshot?.speakers?.now ?? null
    const mine = queue?.mine ?? null
    const waiting = queue?.requests.filter((request) => request.status === 'waiting') ?? []
    const position = mine ? waiting.findIndex((request) => request.id === mine.id) + 1 : 0
    replace(
      element,
      h('h2', { id: 'speak-title' }, ts('speakTitle')),
      now && mine?.status !== 'speaking'
        ? h('p', null, h('strong', null, `${ts('speakingNow')}: `), speakerLabel(now))
        : null,
      notice,
      !item
        ? h('p', { class: 'muted' }, ts('speakNoItem'))
        : mine?.status === 'speaking'
          ? h('p', { class: 'notice notice-info' }, h('strong', null, ts('speakYourTurn')))
          : mine
            ? [
                h('p', null, ts('speakWaiting', { position: Math.max(position, 1), count: waiting.length })),
                h(
                  'button',
                  { type: 'button', onclick: () => void act('/withdraw', ts('speakWithdrawn')) },
                  ts('speakWithdraw'),
                ),
              ]
            : [
                h('p', { class: 'muted' }, ts('speakHint')),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'primary big',
                    id: 'ask-to-speak',
                    onclick: () => void act('', ts('speakAsked')),
                  },
                  ts('speakButton'),
                ),
              ],
    )
  }

  return {
    element,
    /** Called with every snapshot; reads the queue again only when it (or the item) changed. */
    update(next: AssemblySnapshot): void {
      snapshot = next
      const key = JSON.stringify([next.assembly.agendaItem, next.speakers])
      if (key !== seen) {
        seen = key
        void refresh()
      } else draw()
    },
  }
}
