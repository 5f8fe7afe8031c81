import { decodeAction } from './actions.ts'
import { answer, menuChoices } from './engine.ts'
import { t } from './i18n.ts'
import { type Intent, parseText } from './intents.ts'
import { askLanguageModel } from './llm.ts'
import { publicAssemblyData } from './public-data.ts'
import type { ChatServices, Lang, Reply } from './types.ts'

export interface WebChatInput {
  userId: string
  /** Free text, or… */
  message?: string
  /** …the id of a choice the person pressed. */
  action?: string
  language: Lang
}

export interface WebChatAnswer {
  replies: Reply[]
  /** intent: answered from live data; llm: by the language model; help: what the chat can do. */
  source: 'intent' | 'llm' | 'help'
}

function systemPrompt(lang: Lang, data: unknown): string {
  return [
    'You are the assistant of Assembly 2.0, the owners’ assembly platform of a horizontal-property building (PH) in Panama.',
    `Answer in ${lang === 'es' ? 'Spanish' : 'English'}, briefly, only from the data below.`,
    'If the answer is not in the data, say so and suggest asking the administration.',
    'Never claim to cast votes, check people in or change anything: the person uses the buttons or the words "votar", "agenda", "quórum" for that.',
    `Data (JSON): ${JSON.stringify(data)}`,
  ].join('\n')
}

/**
 * The web chat of a signed-in user: the shared intents answered from live data (voting included, with
 * the same confirmation as the chat apps); other questions go to the optional language model with only
 * the PHs' public assembly data; without one, it says what it can do.
 */
export async function answerWebChat(deps: ChatServices, input: WebChatInput): Promise<WebChatAnswer> {
  const lang = input.language
  const turn = {
    channel: 'webchat' as const,
    chatId: `user:${input.userId}`,
    externalUserId: null,
    userId: input.userId,
    language: lang,
    state: {},
  }
  const action = input.action ? decodeAction(input.action) : null
  const intent: Intent = action
    ? { kind: 'action', action }
    : input.message
      ? parseText(input.message)
      : { kind: 'help' }
  if (intent.kind !== 'unknown') {
    const result = await answer(deps, turn, intent)
    return { replies: result.replies, source: 'intent' }
  }
  const llm = deps.config.bots.llm
  if (!llm) return { replies: [{ text: t(lang, 'help'), choices: menuChoices(lang) }], source: 'help' }
  const data = await publicAssemblyData(deps.db, input.userId)
  const text = await askLanguageModel(llm, { system: systemPrompt(lang, data), question: intent.text })
  if (text === null) {
    deps.log.warn('language model gave no answer', { model: llm.model })
    return { replies: [{ text: t(lang, 'llmUnavailable'), choices: menuChoices(lang) }], source: 'help' }
  }
  return { replies: [{ text }], source: 'llm' }
}
