import { t } from '../../core/chat/i18n.ts'
import type { Lang, Reply } from '../../core/chat/types.ts'
import type { OutgoingMessage } from './client.ts'

/*
 * Replies as WhatsApp messages: plain text; up to three short choices as reply buttons; more (or
 * longer) as a list message of up to ten rows. Texts are cut to the platform's limits.
 */

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export const LIMITS = {
  text: 4096,
  body: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
}

export function renderReply(reply: Reply, lang: Lang): OutgoingMessage {
  const choices = reply.choices ?? []
  if (choices.length === 0) return { type: 'text', text: { body: cut(reply.text, LIMITS.text) } }
  const body = { text: cut(reply.text, LIMITS.body) }
  if (
    choices.length <= LIMITS.buttons &&
    choices.every((choice) => choice.label.length <= LIMITS.buttonTitle)
  ) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body,
        action: {
          buttons: choices.map((choice) => ({
            type: 'reply',
            reply: { id: choice.id, title: choice.label },
          })),
        },
      },
    }
  }
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      body,
      action: {
        button: t(lang, 'optionsButton'),
        sections: [
          {
            rows: choices.slice(0, LIMITS.rows).map((choice) => ({
              id: choice.id,
              title: cut(choice.label, LIMITS.rowTitle),
              ...(choice.label.length > LIMITS.rowTitle
                ? { description: cut(choice.label, LIMITS.rowDescription) }
                : {}),
            })),
          },
        ],
      },
    },
  }
}

/** An approved template with its body parameters (used outside the 24-hour window). */
export function renderTemplate(name: string, language: string, params: readonly string[]): OutgoingMessage {
  return {
    type: 'template',
    template: {
      name,
      language: { code: language },
      components: [
        { type: 'body', parameters: params.map((text) => ({ type: 'text', text: cut(text, 1024) })) },
      ],
    },
  }
}
