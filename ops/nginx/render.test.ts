import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { flagsOf, loadNginxSettings, NginxConfigError, renderNginxConfig, templatePath } from './render.ts'
import { localNginxVersion, testNginxConfig, writeMainConfig, writeSelfSignedCertificate } from './testing.ts'

const template = await Bun.file(templatePath).text()
const work = mkdtempSync(join(tmpdir(), 'assembly-nginx-render-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const production = { DOMAIN: 'asambleas.example.com' }
const render = (env: Record<string, string>) => renderNginxConfig(template, loadNginxSettings(env))

describe('loadNginxSettings', () => {
  it.each([
    [{ NGINX_MODE: 'tls' }, 'NGINX_MODE'],
    [{ NGINX_MODE: 'https' }, 'DOMAIN'],
    [{ ...production, DOMAIN: 'bad domain;' }, 'DOMAIN'],
    [{ ...production, NGINX_HTTP_PORT: '80; include /etc/passwd' }, 'NGINX_HTTP_PORT'],
    [{ ...production, FUNCTIONS_UPSTREAMS: '' }, 'FUNCTIONS_UPSTREAMS'],
    [{ ...production, REALTIME_UPSTREAMS: 'realtime' }, 'REALTIME_UPSTREAMS'],
    [{ ...production, BOTS_UPSTREAMS: 'bots:3002;evil' }, 'BOTS_UPSTREAMS'],
    [{ ...production, NGINX_AUTH_RATE: '10/m' }, 'NGINX_AUTH_RATE'],
    [{ ...production, NGINX_WS_READ_TIMEOUT: '75' }, 'NGINX_WS_READ_TIMEOUT'],
    [{ ...production, NGINX_TLS_CERT: 'relative/cert.pem' }, 'NGINX_TLS_CERT'],
    [{ ...production, NGINX_WEB_ROOT: '/srv/web; root /' }, 'NGINX_WEB_ROOT'],
    [{ ...production, NGINX_CSP: "default-src 'self'\"; add_header X 1" }, 'NGINX_CSP'],
    [{ ...production, NGINX_IPV6: 'yes' }, 'NGINX_IPV6'],
    [{ ...production, NGINX_VERSION: 'latest' }, 'NGINX_VERSION'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => loadNginxSettings(env)).toThrow(NginxConfigError)
    expect(() => loadNginxSettings(env)).toThrow(new RegExp(`^${variable}: `))
  })

  it('defaults to the compose service names and Let’s Encrypt paths of DOMAIN', () => {
    const settings = loadNginxSettings(production)
    expect(settings.mode).toBe('https')
    expect(settings.functionsUpstreams).toEqual(['functions:3000'])
    expect(settings.realtimeUpstreams).toEqual(['realtime:3001'])
    expect(settings.botsUpstreams).toEqual([])
    expect(settings.tlsCert).toBe('/etc/letsencrypt/live/asambleas.example.com/fullchain.pem')
    expect(settings.wsReadTimeout).toBe('75s')
  })

  it.each([
    ['1.22.1', ['https']],
    ['1.26', ['https', 'http2directive']],
    ['1.28', ['https', 'resolve', 'http2directive']],
  ])('nginx %s enables %o', (version, flags) => {
    expect([...flagsOf(loadNginxSettings({ ...production, NGINX_VERSION: version }))]).toEqual(flags)
  })
})

describe('renderNginxConfig', () => {
  it('lists every realtime upstream, balanced by least connections', () => {
    const config = render({
      ...production,
      REALTIME_UPSTREAMS: 'realtime-1:3001, realtime-2:3001 realtime-3:3001',
    })
    const upstream = /upstream assembly_realtime \{([^}]*)\}/.exec(config)![1]!
    expect(upstream).toContain('least_conn;')
    expect(upstream.match(/server realtime-\d:3001 /g)).toHaveLength(3)
  })

  it('re-resolves upstream names at run time on nginx >= 1.27.3', () => {
    const config = render({ ...production, NGINX_VERSION: '1.28' })
    expect(config).toContain('resolver 127.0.0.11 valid=10s ipv6=off;')
    expect(config).toContain('server functions:3000 max_fails=3 fail_timeout=10s resolve;')
    expect(config).toContain('zone assembly_functions 64k;')
    expect(config).toContain('http2 on;')
    expect(config).not.toContain('ssl http2')
  })

  it('proxies /bots/ only when a bots upstream is configured', () => {
    expect(render(production)).toContain('"code":"bots_disabled"')
    const withBots = render({ ...production, BOTS_UPSTREAMS: 'bots:3002' })
    expect(withBots).toContain('proxy_pass http://assembly_bots;')
    expect(withBots).not.toContain('bots_disabled')
  })

  it('keeps /ws open longer than the heartbeat and limits connections per address', () => {
    const ws = /location \^~ \/ws \{([^}]*)\}/.exec(render(production))![1]!
    expect(ws).toContain('proxy_read_timeout 75s;')
    expect(ws).toContain('limit_conn assembly_ws 2000;')
    expect(ws).toContain('proxy_set_header Upgrade $http_upgrade;')
  })

  it('sends HSTS only over HTTPS and has no unrendered template syntax', () => {
    for (const mode of ['https', 'http', 'acme']) {
      const config = render({ ...production, NGINX_MODE: mode })
      expect(config).not.toMatch(/\{\{|#@/)
      expect(config.includes('Strict-Transport-Security')).toBe(mode === 'https')
    }
  })

  it('acme mode answers challenges on port 80 and nothing else', () => {
    const config = render({ ...production, NGINX_MODE: 'acme' })
    expect(config).not.toContain('listen 443')
    expect(config).toContain('location ^~ /.well-known/acme-challenge/')
    expect(config).toContain('return 503 "Waiting for the TLS certificate')
  })
})

describe('nginx -t on the rendered configuration (Debian nginx, temporary prefix)', () => {
  const certs = writeSelfSignedCertificate(work, 'asambleas.example.com')
  it.each(['https', 'http', 'acme'])('%s mode is valid and free of warnings', (mode) => {
    const prefix = join(work, mode)
    const site = join(work, `${mode}.conf`)
    const config = render({
      ...production,
      NGINX_MODE: mode,
      NGINX_VERSION: localNginxVersion(),
      NGINX_LISTEN_HOST: '127.0.0.1',
      NGINX_TLS_CERT: certs.cert,
      NGINX_TLS_KEY: certs.key,
      NGINX_ACCESS_LOG: join(work, `${mode}-access.log`),
      // Upstream host names are resolved by nginx -t: use addresses.
      FUNCTIONS_UPSTREAMS: '127.0.0.1:3000',
      REALTIME_UPSTREAMS: '127.0.0.1:3001,127.0.0.1:3011',
      BOTS_UPSTREAMS: '127.0.0.1:3002',
    })
    writeFileSync(site, config)
    const result = testNginxConfig(prefix, writeMainConfig(prefix, site))
    expect(result.output).not.toMatch(/\[(warn|emerg|alert)\]/)
    expect(result.exitCode).toBe(0)
  })
})
