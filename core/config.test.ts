import { describe, expect, it } from 'bun:test'
import { ConfigError, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('runs embedded with no variables at all', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      env: 'development',
      databaseUrl: null,
      redisUrl: null,
      dataDir: './data',
      functionsPort: 3000,
      realtimePort: 3001,
      publicUrl: 'http://localhost:3000',
    })
  })

  it('reads URLs and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/a',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_URL: 'https://ph.example.org/',
    })
    expect(config.databaseUrl).toBe('postgres://u@db:5432/a')
    expect(config.redisUrl).toBe('redis://cache:6379')
    expect(config.publicUrl).toBe('https://ph.example.org')
  })

  it('puts live updates on wss://<host>/ws behind an https PUBLIC_URL, the direct port without TLS', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://ph.example.org' }).realtimePublicUrl).toBe(
      'wss://ph.example.org/ws',
    )
    expect(loadConfig({ PUBLIC_URL: 'https://ph.example.org:8443/' }).realtimePublicUrl).toBe(
      'wss://ph.example.org:8443/ws',
    )
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).realtimePublicUrl).toBe(
      'ws://localhost:3001/ws',
    )
    const explicit = {
      PUBLIC_URL: 'https://ph.example.org',
      REALTIME_PUBLIC_URL: 'wss://live.example.org/ws',
    }
    expect(loadConfig(explicit).realtimePublicUrl).toBe('wss://live.example.org/ws')
  })

  it('allows both local forms of the address in development without PUBLIC_URL, only PUBLIC_URL otherwise', () => {
    expect(loadConfig({ FUNCTIONS_PORT: '4100' }).allowedOrigins).toEqual([
      'http://localhost:4100',
      'http://127.0.0.1:4100',
    ])
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:4100' }).allowedOrigins).toEqual([
      'http://localhost:4100',
    ])
    expect(
      loadConfig({ PUBLIC_URL: 'https://ph.example.org', WEBAUTHN_ORIGINS: 'https://app.example.org' })
        .allowedOrigins,
    ).toEqual(['https://ph.example.org', 'https://app.example.org'])
    expect(loadConfig({ APP_ENV: 'test', FUNCTIONS_PORT: '4100' }).allowedOrigins).toEqual([
      'http://localhost:4100',
    ])
  })

  const cases: [Record<string, string>, string][] = [
    [{ FUNCTIONS_PORT: 'abc' }, 'FUNCTIONS_PORT'],
    [{ REALTIME_PORT: '70000' }, 'REALTIME_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ APP_ENV: 'staging' }, 'APP_ENV'],
    [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES'],
    [{ APP_ENV: 'production', REDIS_URL: 'redis://r' }, 'DATABASE_URL'],
    [{ APP_ENV: 'production', DATABASE_URL: 'postgres://d/x' }, 'REDIS_URL'],
    [{ REALTIME_PROCESSES: '2' }, 'REALTIME_PROCESSES'],
    [{ REALTIME_PROCESSES: '2', DATABASE_URL: 'postgres://d/x' }, 'REALTIME_PROCESSES'],
    [
      { REALTIME_PROCESSES: '0', DATABASE_URL: 'postgres://d/x', REDIS_URL: 'redis://r' },
      'REALTIME_PROCESSES',
    ],
  ]
  it.each(cases.map(([env, variable]) => [JSON.stringify(env), env, variable] as const))(
    'rejects %s naming %s',
    (_label, env, variable) => {
      let caught: unknown
      try {
        loadConfig(env)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(ConfigError)
      expect((caught as ConfigError).variable).toBe(variable)
      expect((caught as ConfigError).message.startsWith(`${variable}:`)).toBe(true)
    },
  )
})
