import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { LlmConfig } from '../config.ts'
import { createTestServices, type TestServices } from '../services-testing.ts'
import { createVoteQueue } from '../votes/queue.ts'
import { type ChatPh, createChatPh, openMotion, startRecordingServer } from './testing.ts'
import { answerWebChat } from './webchat.ts'

let services: TestServices
let ph: ChatPh
const llm = startRecordingServer(async ({ body }) => {
  const question = (body as { messages: { role: string; content: string }[] }).messages.at(-1)!.content
  if (question.includes('lenta')) await Bun.sleep(2000)
  return Response.json({
    choices: [{ message: { role: 'assistant', content: 'La asamblea es en el salón.' } }],
  })
})

beforeAll(async () => {
  services = await createTestServices()
  ph = await createChatPh(services)
}, 60_000)
afterAll(async () => {
  await services.close()
  llm.stop()
}, 60_000)

/** The services with a language model configured (or not). */
function withModel(config: LlmConfig | null) {
  return { ...services, config: { ...services.config, bots: { ...services.config.bots, llm: config } } }
}
const model: LlmConfig = { baseUrl: llm.url, apiKey: 'test-key', model: 'test-model', timeoutMs: 300 }

describe('the web chat', () => {
  it('lets a signed-in owner vote with confirmation and gives the receipt', async () => {
    // A PH of its own, so this motion is the only open one (no motion to pick first).
    const ph = await createChatPh(services)
    const motionId = await openMotion(services, ph, { title: 'Reparar la piscina' })
    const ask = (input: { message?: string; action?: string }) =>
      answerWebChat(services, { userId: ph.owners['1A'].userId, language: 'es', ...input })
    const prompt = await ask({ message: 'votar' })
    expect(prompt.source).toBe('intent')
    const yes = prompt.replies[0]!.choices!.find((choice) => choice.label === 'Sí')!
    const confirm = await ask({ action: yes.id })
    expect(confirm.replies[0]!.text).toContain('¿Confirma su voto «Sí» en «Reparar la piscina» por 1A?')
    const confirmChoice = confirm.replies[0]!.choices!.find((choice) => choice.label === 'Confirmar')!
    const accepted = await ask({ action: confirmChoice.id })
    expect(accepted.replies[0]!.text).toMatch(/Unidad 1A: [0-9A-Z]{5}-[0-9A-Z]{5}/)
    expect(await createVoteQueue(services.bus).latest(motionId)).toEqual([
      expect.objectContaining({
        unitId: ph.scenario.unit('1A'),
        channel: 'webchat',
        castByUserId: ph.owners['1A'].userId,
      }),
    ])
  })

  it('votes an election by ticking options; an abstention excludes the rest; a stranger cannot tick', async () => {
    const ph = await createChatPh(services)
    const options = [
      { key: 'a', label: 'Ana', kind: 'choice' as const },
      { key: 'b', label: 'Beto', kind: 'choice' as const },
      { key: 'c', label: 'Carla', kind: 'choice' as const },
      { key: 'abs', label: 'Abstención', kind: 'abstain' as const },
    ]
    const motionId = await openMotion(services, ph, { title: 'Junta', options, choiceMode: 'multiple' })
    const ask = (input: { message?: string; action?: string }, userId = ph.owners['1A'].userId) =>
      answerWebChat(services, { userId, language: 'es', ...input })
    const press = async (reply: { choices?: { id: string; label: string }[] }, label: string) => {
      const found = reply.choices!.find((choice) => choice.label === label)
      if (!found) throw new Error(`no ${label} in ${reply.choices!.map((c) => c.label).join(' | ')}`)
      return (await ask({ action: found.id })).replies
    }
    let [ballot] = (await ask({ message: 'votar' })).replies
    ;[ballot] = await press(ballot!, '⬜ Ana')
    ;[ballot] = await press(ballot!, '⬜ Carla')
    const [strangers] = (await ask({ action: ballot!.choices![1]!.id }, ph.owners['1B'].userId)).replies
    expect(strangers!.text).toContain('ya no es válida')
    ;[ballot] = await press(ballot!, '⬜ Abstención')
    expect(ballot!.choices!.map((choice) => choice.label)).toEqual([
      '⬜ Ana',
      '⬜ Beto',
      '⬜ Carla',
      '✅ Abstención',
      'Confirmar (1)',
    ])
    ;[ballot] = await press(ballot!, '⬜ Beto')
    ;[ballot] = await press(ballot!, '⬜ Ana')
    const [confirm] = await press(ballot!, 'Confirmar (2)')
    expect(confirm!.text).toContain('«Beto, Ana»')
    await press(confirm!, 'Confirmar')
    const [queued] = await createVoteQueue(services.bus).latest(motionId)
    expect(queued).toMatchObject({ channel: 'webchat', optionKeys: ['b', 'a'] })
  })

  it('refuses a confirmation made by another user', async () => {
    const motionId = await openMotion(services, ph, { title: 'Cambiar las luces' })
    const prompt = await answerWebChat(services, {
      userId: ph.owners['1B'].userId,
      language: 'es',
      message: 'votar',
    })
    const choices = prompt.replies[0]!.choices!
    const pick = choices.find((choice) => choice.label === 'Cambiar las luces')
    const options = pick
      ? (await answerWebChat(services, { userId: ph.owners['1B'].userId, language: 'es', action: pick.id }))
          .replies[0]!
      : prompt.replies[0]!
    const confirm = await answerWebChat(services, {
      userId: ph.owners['1B'].userId,
      language: 'es',
      action: options.choices!.find((choice) => choice.label === 'No')!.id,
    })
    const stolen = confirm.replies[0]!.choices!.find((choice) => choice.label === 'Confirmar')!
    const refused = await answerWebChat(services, {
      userId: ph.holder.userId,
      language: 'es',
      action: stolen.id,
    })
    expect(refused.replies[0]!.text).toContain('ya no es válida')
    expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(0)
  })

  it('without a language model, answers free questions with what it can do', async () => {
    const answer = await answerWebChat(withModel(null), {
      userId: ph.owners['1A'].userId,
      language: 'es',
      message: '¿Dónde estacionan los visitantes?',
    })
    expect(answer.source).toBe('help')
    expect(answer.replies[0]!.text).toContain('Puedo ayudarle con')
  })

  it('passes free questions to the language model with only public assembly data', async () => {
    const answer = await answerWebChat(withModel(model), {
      userId: ph.owners['1A'].userId,
      language: 'es',
      message: '¿Se permiten mascotas en el salón?',
    })
    expect(answer).toEqual({ source: 'llm', replies: [{ text: 'La asamblea es en el salón.' }] })
    const request = llm.calls.at(-1)!.body as { model: string; messages: { role: string; content: string }[] }
    expect(request.model).toBe('test-model')
    const system = request.messages[0]!.content
    expect(system).toContain('Asamblea de prueba')
    expect(system).not.toContain('Propietario')
    expect(system).not.toContain(ph.owners['1A'].email)
  })

  it('gives up on a slow language model at the timeout and falls back to the intents', async () => {
    const started = performance.now()
    const answer = await answerWebChat(withModel(model), {
      userId: ph.owners['1A'].userId,
      language: 'en',
      message: 'una pregunta lenta',
    })
    expect(performance.now() - started).toBeLessThan(1500)
    expect(answer.source).toBe('help')
    expect(answer.replies[0]!.text).toContain('I cannot answer open questions right now')
  })
})
