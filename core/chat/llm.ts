import type { LlmConfig } from '../config.ts'

/**
 * One question to an OpenAI-compatible chat completions endpoint, bounded by the configured timeout.
 * Null when the provider fails, times out or answers nothing usable: the caller falls back to intents.
 */
export async function askLanguageModel(
  config: LlmConfig,
  input: { system: string; question: string },
  fetcher: typeof fetch = fetch,
): Promise<string | null> {
  try {
    const response = await fetcher(`${config.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: config.model,
        temperature: 0.2,
        max_tokens: 400,
        messages: [
          { role: 'system', content: input.system },
          { role: 'user', content: input.question },
        ],
      }),
      signal: AbortSignal.timeout(config.timeoutMs),
    })
    if (!response.ok) return null
    const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] }
    const content = body.choices?.[0]?.message?.content
    return typeof content === 'string' && content.trim() !== '' ? content.trim() : null
  } catch {
    return null
  }
}
