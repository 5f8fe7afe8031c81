import { chatLauncherMessages } from '../i18n/chat-launcher.ts'
import { currentLang, onLangChange } from '../lib/i18n.ts'

/** URL of the built chat widget module (web/src/chat/widget.ts), set by web/build.ts. */
declare const CHAT_WIDGET_URL: string

interface Widget {
  open(launcher: HTMLButtonElement): void
}

/**
 * The web chat's launcher: one small button, in the page's corner where the page's column leaves
 * room for it, else (phones, tablets) in its own line above the page, so it never covers content. The widget itself (its own
 * module, web/src/chat/widget.ts) is fetched on the first press, so a page pays a few hundred bytes
 * until someone asks something.
 */
export function mountChatWidget(): void {
  if (document.getElementById('chat-launcher')) return
  const button = document.createElement('button')
  button.type = 'button'
  button.id = 'chat-launcher'
  button.className = 'chat-launcher'
  button.setAttribute('aria-haspopup', 'dialog')
  button.setAttribute('aria-controls', 'chat-panel')
  button.setAttribute('aria-expanded', 'false')
  const label = () => {
    const m = chatLauncherMessages[currentLang()]
    button.textContent = m.open
    button.setAttribute('aria-label', m.openLabel)
  }
  label()
  onLangChange(label)
  let widget: Promise<Widget> | null = null
  button.addEventListener('click', async () => {
    widget ??= import(/* @vite-ignore */ CHAT_WIDGET_URL) as Promise<Widget>
    try {
      ;(await widget).open(button)
    } catch {
      widget = null
      alert(chatLauncherMessages[currentLang()].loadFailed)
    }
  })
  document.body.classList.add('has-chat')
  // Before the page's content: where it stands when it does not float (web/src/styles/chat.css).
  const main = document.querySelector('main')
  if (main) main.before(button)
  else document.body.append(button)
}
