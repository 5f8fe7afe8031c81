import type { Published } from '../../../core/communications/schemas.ts'
import { common } from '../i18n/common.ts'
import { ownerHomeMessages } from '../i18n/home-owner.ts'
import { get, seg } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'

/*
 * After the meeting, what the owner can read on their home: the summary of the decisions the
 * administration sent (art. 71), and the acta once it was sent to the owners.
 */

const t = translator<keyof typeof ownerHomeMessages.es>(common, ownerHomeMessages)

const published = new Map<string, Published>()

export async function loadPublished(organizationId: string, assemblyId: string): Promise<void> {
  published.set(
    assemblyId,
    await get<Published>(`/organizations/${seg(organizationId)}/assemblies/${seg(assemblyId)}/published`),
  )
}

export function publishedView(organizationId: string, assemblyId: string): HTMLElement | null {
  const sent = published.get(assemblyId)
  if (!sent) return null
  const acta = `/api/organizations/${seg(organizationId)}/assemblies/${seg(assemblyId)}/acta`
  return h(
    'div',
    { class: 'stack published' },
    sent.summary
      ? h(
          'div',
          null,
          h('h4', null, t('summaryHeading')),
          h('p', { class: 'muted' }, t('summarySentOn', { when: formatDateTime(sent.summary.sentAt) })),
          h(
            'ul',
            { class: 'plain-list decisions' },
            sent.summary.text
              .split('\n')
              .slice(1)
              .map((line) =>
                line.startsWith('   ')
                  ? h('li', { class: 'muted indent' }, line.trim())
                  : h('li', null, h('strong', null, line)),
              ),
          ),
        )
      : null,
    h('h4', null, t('actaHeading')),
    sent.acta
      ? h(
          'div',
          { class: 'row' },
          h(
            'a',
            { class: 'button', href: `${acta}?format=html`, target: '_blank', rel: 'noopener' },
            t('actaRead'),
          ),
          h('a', { class: 'button', href: `${acta}?format=pdf`, download: '' }, t('actaPdf')),
        )
      : h('p', { class: 'muted' }, t('actaPending')),
  )
}
