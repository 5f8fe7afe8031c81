import type { WebChatAnswer } from '../../../core/chat/schemas.ts'
import type { Reply } from '../../../core/chat/types.ts'
import { chatMessages } from '../i18n/chat.ts'
import { post } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { currentLang, onLangChange } from '../lib/i18n.ts'
import { errorText } from '../lib/layout.ts'

/*
 * The web chat widget (loaded on demand by chat/launcher.ts): a non-modal dialog that talks to
 * POST /api/chat/webchat, the same intents as Telegram and WhatsApp answering from the assembly's
 * live data (agenda, quorum, how to vote, proxies; votes with their confirmation step).
 * Keyboard: Enter sends, Escape closes and gives the focus back to the launcher. New answers are
 * read out by screen readers (role="log").
 */

const m = () => chatMessages[currentLang()]

let panel: HTMLElement | null = null
let launcher: HTMLButtonElement | null = null

function bubble(who: 'you' | 'assistant', text: string, extra?: Node): HTMLElement {
  return h(
    'div',
    { class: `chat-bubble chat-${who}` },
    h('span', { class: 'visually-hidden' }, `${who === 'you' ? m().you : m().assistant}: `),
    h('p', null, text),
    extra ?? null,
  )
}

function build(): HTMLElement {
  const log = h('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': m().log })
  const input = h('input', {
    id: 'chat-input',
    type: 'text',
    autocomplete: 'off',
    maxlength: 1000,
    placeholder: m().placeholder,
  })
  const sendButton = h('button', { type: 'submit', class: 'primary' }, m().send)
  let busy = false

  async function ask(body: { message?: string; action?: string }, shown: string): Promise<void> {
    if (busy) return
    busy = true
    sendButton.disabled = true
    log.append(bubble('you', shown))
    const waiting = h('p', { class: 'chat-thinking' }, m().thinking)
    log.append(waiting)
    log.scrollTop = log.scrollHeight
    try {
      const answer = await post<WebChatAnswer>('/chat/webchat', {
        ...body,
        language: currentLang(),
      })
      waiting.remove()
      for (const reply of answer.replies) log.append(bubble('assistant', reply.text, choicesOf(reply)))
    } catch (error) {
      waiting.remove()
      log.append(bubble('assistant', m().failed.replace('{reason}', errorText(error))))
    } finally {
      busy = false
      sendButton.disabled = false
      log.scrollTop = log.scrollHeight
    }
  }

  function choicesOf(reply: Reply): Node | undefined {
    if (!reply.choices?.length) return undefined
    return h(
      'div',
      { class: 'chat-choices' },
      reply.choices.map((choice) =>
        h(
          'button',
          { type: 'button', onclick: () => ask({ action: choice.id }, choice.label) },
          choice.label,
        ),
      ),
    )
  }

  const suggestion = (label: string, message: string) =>
    h('button', { type: 'button', onclick: () => ask({ message }, label) }, label)

  const form = h(
    'form',
    {
      class: 'chat-form',
      onsubmit: (event: Event) => {
        event.preventDefault()
        const message = input.value.trim()
        if (!message) return input.focus()
        input.value = ''
        void ask({ message }, message)
      },
    },
    h('label', { for: 'chat-input', class: 'visually-hidden' }, m().inputLabel),
    input,
    sendButton,
  )

  const closeButton = h(
    'button',
    { type: 'button', class: 'chat-close', 'aria-label': m().close, onclick: close },
    '×',
  )
  const element = h(
    'section',
    {
      id: 'chat-panel',
      class: 'chat-panel',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-labelledby': 'chat-title',
      onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === 'Escape') close()
      },
    },
    h('header', { class: 'chat-head' }, h('h2', { id: 'chat-title' }, m().title), closeButton),
    log,
    h(
      'div',
      { class: 'chat-suggest' },
      suggestion(m().suggestAgenda, m().askAgenda),
      suggestion(m().suggestQuorum, m().askQuorum),
      suggestion(m().suggestHowToVote, m().askHowToVote),
    ),
    form,
  )
  log.append(bubble('assistant', m().intro))
  return element
}

function close(): void {
  if (!panel) return
  panel.hidden = true
  document.body.classList.remove('chat-open')
  launcher?.setAttribute('aria-expanded', 'false')
  launcher?.focus()
}

/** Opens the widget (built on first use) and puts the focus in the question field. */
export function open(from: HTMLButtonElement): void {
  launcher = from
  if (!panel) {
    panel = build()
    document.body.append(panel)
    // A language switch rebuilds the widget in the new language (the conversation starts over).
    onLangChange(() => {
      const wasOpen = panel && !panel.hidden
      panel?.remove()
      panel = build()
      panel.hidden = !wasOpen
      document.body.append(panel)
    })
  }
  panel.hidden = false
  document.body.classList.add('chat-open')
  from.setAttribute('aria-expanded', 'true')
  panel.querySelector<HTMLInputElement>('#chat-input')?.focus()
}
