import { get, post, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { onSubmit, textField } from '../lib/forms.ts'
import { type AdminContext, createNotices, redrawThenSay, section, t } from './context.ts'
import type { ProxyRecord } from './types.ts'
import { loadAllUnits } from './units.ts'

/** The assembly's proxies (poderes): list, register with the signed document, revoke. */
export async function renderProxies(
  ctx: AdminContext,
  container: HTMLElement,
  assemblyId: string,
): Promise<void> {
  const notices = createNotices()
  const path = `${ctx.base}/assemblies/${seg(assemblyId)}/proxies`
  const { proxies } = await get<{ proxies: ProxyRecord[] }>(path)
  let unitIds: Map<string, string> | null = null

  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim()
        unitIds ??= new Map(
          (await loadAllUnits(ctx.base)).map((unit) => [unit.number.toUpperCase(), unit.id]),
        )
        const number = text('unit')
        const grantorUnitId = unitIds.get(number.toUpperCase())
        if (!grantorUnitId) {
          notices.fail(t('unitNotFound', { number }))
          return
        }
        const holder = {
          fullName: text('holderName'),
          email: text('holderEmail') || undefined,
          documentId: text('holderDocument') || undefined,
        }
        const file = (form.elements.namedItem('document') as HTMLInputElement).files?.[0]
        let body: FormData | Record<string, unknown> = { grantorUnitId, holder }
        if (file) {
          body = new FormData()
          body.set('grantorUnitId', grantorUnitId)
          body.set('holder', JSON.stringify(holder))
          body.set('document', file)
        }
        try {
          await post(path, body)
          await redrawThenSay(container, () => renderProxies(ctx, container, assemblyId), t('proxyAdded'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'unit', label: t('proxyUnit'), required: true, props: { autocomplete: 'off' } }),
    textField({ name: 'holderName', label: t('proxyHolderName'), required: true }),
    textField({ name: 'holderEmail', label: t('proxyHolderEmail'), type: 'email' }),
    textField({ name: 'holderDocument', label: t('proxyHolderDocument') }),
    textField({
      name: 'document',
      label: t('proxyDocument'),
      type: 'file',
      props: { accept: 'application/pdf,image/jpeg,image/png' },
    }),
    h('button', { type: 'submit', class: 'primary' }, t('proxyAdd')),
  )

  const revoke = async (proxy: ProxyRecord) => {
    try {
      await post(`${path}/${seg(proxy.id)}/revoke`, {})
      await redrawThenSay(container, () => renderProxies(ctx, container, assemblyId), t('proxyRevoked'))
    } catch (error) {
      notices.fail(error)
    }
  }

  const decide = async (proxy: ProxyRecord, decision: 'approve' | 'refuse') => {
    try {
      await post(`${path}/${seg(proxy.id)}/decision`, { decision })
      const said = decision === 'approve' ? t('proxyApproved') : t('proxyRefusedDone')
      await redrawThenSay(container, () => renderProxies(ctx, container, assemblyId), said)
    } catch (error) {
      notices.fail(error)
    }
  }
  const statusBadge = (proxy: ProxyRecord) => {
    if (proxy.status === 'active') return t('proxyActive')
    if (proxy.status === 'pending') return t('proxyPending')
    const label = proxy.status === 'refused' ? t('proxyRefused') : t('proxyRevokedStatus')
    return `${label}${proxy.revokedReason ? ` (${proxy.revokedReason})` : ''}`
  }

  replace(
    container,
    notices.element,
    section(
      'proxies-title',
      t('proxiesTitle'),
      proxies.length === 0
        ? h('p', null, t('proxiesEmpty'))
        : h(
            'ul',
            { class: 'plain-list' },
            proxies.map((proxy) =>
              h(
                'li',
                { class: 'row' },
                h('span', null, t('proxyLine', { unit: proxy.unitNumber, holder: proxy.holderName })),
                h('span', { class: 'badge' }, statusBadge(proxy)),
                proxy.instructions && Object.keys(proxy.instructions).length > 0
                  ? h('span', { class: 'muted' }, t('proxyDirected'))
                  : null,
                proxy.hasDocument
                  ? h('a', { href: `/api${path}/${seg(proxy.id)}/document` }, t('proxyDocumentLink'))
                  : null,
                proxy.status === 'pending'
                  ? [
                      h(
                        'button',
                        { type: 'button', class: 'primary', onclick: () => void decide(proxy, 'approve') },
                        t('proxyApprove'),
                      ),
                      h(
                        'button',
                        { type: 'button', class: 'danger', onclick: () => void decide(proxy, 'refuse') },
                        t('proxyRefuse'),
                      ),
                    ]
                  : null,
                proxy.status === 'active'
                  ? h(
                      'button',
                      { type: 'button', class: 'danger', onclick: () => void revoke(proxy) },
                      t('proxyRevoke'),
                    )
                  : null,
              ),
            ),
          ),
      h('h3', null, t('proxyAdd')),
      form,
    ),
  )
}
