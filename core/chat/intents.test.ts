import { describe, expect, it } from 'bun:test'
import { type Intent, parseText } from './intents.ts'

describe('reading what people write', () => {
  it.each<[string, Intent]>([
    ['/votar', { kind: 'vote' }],
    ['/votar@asamblea_bot', { kind: 'vote' }],
    ['Quiero votar', { kind: 'vote' }],
    ['I want to vote', { kind: 'vote' }],
    ['¿Cómo voto?', { kind: 'how_to_vote' }],
    ['how do I vote', { kind: 'how_to_vote' }],
    ['¿Hay QUÓRUM?', { kind: 'quorum' }],
    ['orden del día', { kind: 'agenda' }],
    ['mis poderes', { kind: 'proxies' }],
    ['mis asambleas', { kind: 'assemblies' }],
    ['registrar asistencia', { kind: 'checkin' }],
    ['silenciar', { kind: 'mute' }],
    ['activar avisos', { kind: 'unmute' }],
    ['desvincular', { kind: 'unlink' }],
    ['hola', { kind: 'help' }],
    ['¿Qué es esto?', { kind: 'about' }],
    ['/start K7Q2M9XD', { kind: 'link_code', code: 'K7Q2M9XD' }],
    ['/start', { kind: 'help' }],
    ['vincular k7q2-m9xd', { kind: 'link_code', code: 'K7Q2M9XD' }],
    ['K7Q2-M9XD', { kind: 'link_code', code: 'K7Q2M9XD' }],
    ['mi correo es Ana.Perez@Example.com', { kind: 'link_email', email: 'Ana.Perez@Example.com' }],
    ['recibo 7KQ2M-X9D4A', { kind: 'receipt', code: '7KQ2M-X9D4A' }],
    ['7kq2m-x9d4a', { kind: 'receipt', code: '7kq2m-x9d4a' }],
    ['recibo', { kind: 'receipt', code: null }],
    ['/idioma en', { kind: 'language', language: 'en' }],
    ['in English please', { kind: 'language', language: 'en' }],
    ['123456', { kind: 'unknown', text: '123456' }],
    ['¿A qué hora abre la piscina?', { kind: 'unknown', text: '¿A qué hora abre la piscina?' }],
    ['/nonsense', { kind: 'unknown', text: '/nonsense' }],
  ])('%p', (text, intent) => {
    expect(parseText(text)).toEqual(intent)
  })

  it('reads 6 digits as the email code only while one is awaited', () => {
    expect(parseText('123 456', { otp: { email: 'a@b.co', attempt: 'x' } })).toEqual({
      kind: 'link_otp',
      code: '123456',
    })
  })
})
