import { describe, expect, it } from 'bun:test'
import { ConfigError, loadConfig } from '../core/config.ts'

// The bots' part of core/config.ts: each channel is off without its credentials, and a half-configured
// one stops the process naming the missing variable.
const TOKEN = '123456789:TEST-token-abcdefghijklmnopqrstuvwxyz'
const load = (env: Record<string, string>) => loadConfig({ APP_ENV: 'test', ...env }).bots

function errorOf(env: Record<string, string>): ConfigError {
  try {
    load(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('bots configuration', () => {
  it('turns every channel off without credentials, on port 3002', () => {
    expect(load({})).toEqual({
      port: 3002,
      rateLimitPerMinute: 3000,
      telegram: null,
      whatsapp: null,
      llm: null,
    })
  })

  it('runs Telegram by long polling outside production, by webhook in production', () => {
    expect(load({ TELEGRAM_BOT_TOKEN: TOKEN }).telegram).toMatchObject({ mode: 'polling', apiRoot: null })
    expect(
      loadConfig({
        APP_ENV: 'production',
        DATABASE_URL: 'postgres://db/x',
        REDIS_URL: 'redis://r',
        SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
        SMTP_URL: 'smtp://mail',
        PUBLIC_URL: 'https://asamblea.example',
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret',
      }).bots.telegram,
    ).toMatchObject({ mode: 'webhook', webhookSecret: 'a-long-enough-secret', messagesPerSecond: 25 })
  })

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 'short' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'ftp://x' }, 'TELEGRAM_API_ROOT'],
    [{ WHATSAPP_ACCESS_TOKEN: 'x' }, 'WHATSAPP_APP_SECRET'],
    [
      {
        WHATSAPP_ACCESS_TOKEN: 'x',
        WHATSAPP_APP_SECRET: 'y',
        WHATSAPP_VERIFY_TOKEN: 'z',
        WHATSAPP_PHONE_NUMBER_ID: 'abc',
      },
      'WHATSAPP_PHONE_NUMBER_ID',
    ],
    [{ LLM_BASE_URL: 'https://llm.example/v1', LLM_TIMEOUT_MS: '10' }, 'LLM_TIMEOUT_MS'],
    [{ BOTS_PORT: 'eighty' }, 'BOTS_PORT'],
  ])('refuses %p naming %s', (env, variable) => {
    expect(errorOf(env).variable).toBe(variable)
  })

  it('reads WhatsApp with its defaults and templates', () => {
    const whatsapp = load({
      WHATSAPP_ACCESS_TOKEN: 'x',
      WHATSAPP_APP_SECRET: 'y',
      WHATSAPP_VERIFY_TOKEN: 'z',
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_TEMPLATE_STARTED: 'asamblea_iniciada',
    }).whatsapp
    expect(whatsapp).toMatchObject({
      graphUrl: 'https://graph.facebook.com/v21.0',
      businessNumber: null,
      messagesPerSecond: 20,
      templates: { convened: null, started: 'asamblea_iniciada', motionOpened: null },
      templateLanguage: 'es',
    })
  })

  it('reads the optional language model with a default timeout', () => {
    expect(load({ LLM_BASE_URL: 'https://llm.example/v1/' }).llm).toEqual({
      baseUrl: 'https://llm.example/v1',
      apiKey: null,
      model: 'gpt-4o-mini',
      timeoutMs: 8000,
    })
  })
})
