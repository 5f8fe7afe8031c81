import { del, get, post, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { onSubmit, selectField, textField } from '../lib/forms.ts'
import { type AdminContext, createNotices, redrawThenSay, section, t } from './context.ts'
import type { AgendaItem, AssemblyDocument } from './types.ts'

/** Documents owners read before and during the meeting: list, attach (to the assembly or an item), remove. */
export async function renderDocuments(
  ctx: AdminContext,
  container: HTMLElement,
  assemblyId: string,
  agenda: AgendaItem[],
): Promise<void> {
  const notices = createNotices()
  const path = `${ctx.base}/assemblies/${seg(assemblyId)}/documents`
  const { documents } = await get<{ documents: AssemblyDocument[] }>(path)
  const redraw = () => renderDocuments(ctx, container, assemblyId, agenda)
  const itemTitle = (id: string | null) => agenda.find((item) => item.id === id)?.title ?? null

  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const body = new FormData()
        body.set('title', String(data.get('title') ?? '').trim())
        const item = String(data.get('agendaItemId') ?? '')
        if (item) body.set('agendaItemId', item)
        const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0]
        if (file) body.set('file', file)
        try {
          await post(path, body)
          await redrawThenSay(container, redraw, t('documentAdded'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'title', label: t('documentTitle'), required: true }),
    selectField({
      name: 'agendaItemId',
      label: t('documentItem'),
      options: [
        { value: '', label: t('documentWholeAssembly') },
        ...agenda.map((item) => ({ value: item.id, label: item.title })),
      ],
    }),
    textField({
      name: 'file',
      label: t('documentFile'),
      hint: t('documentFileHint'),
      type: 'file',
      required: true,
      props: { accept: 'application/pdf,image/jpeg,image/png' },
    }),
    h('button', { type: 'submit', class: 'primary' }, t('documentAdd')),
  )

  const remove = async (document: AssemblyDocument) => {
    try {
      await del(`${path}/${seg(document.id)}`)
      await redrawThenSay(container, redraw, t('documentRemoved'))
    } catch (error) {
      notices.fail(error)
    }
  }

  replace(
    container,
    notices.element,
    section(
      'documents-title',
      t('documentsTitle'),
      documents.length === 0
        ? h('p', null, t('documentsEmpty'))
        : h(
            'ul',
            { class: 'plain-list' },
            documents.map((document) =>
              h(
                'li',
                { class: 'row' },
                h(
                  'a',
                  { href: `/api${path}/${seg(document.id)}`, target: '_blank', rel: 'noopener' },
                  document.title,
                ),
                h('span', { class: 'muted' }, itemTitle(document.agendaItemId) ?? t('documentWholeAssembly')),
                h(
                  'button',
                  { type: 'button', class: 'danger', onclick: () => void remove(document) },
                  t('documentRemove'),
                ),
              ),
            ),
          ),
      form,
    ),
  )
}
