import { listPresets } from '../../../core/rules/preset-catalog.ts'
import { get, post, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { formatDateTime, localInputToIso } from '../lib/format.ts'
import { onSubmit, selectField, textArea, textField } from '../lib/forms.ts'
import { assemblyStatusText } from '../lib/layout.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import { presetField } from './preset-hint.ts'
import type { Assembly } from './types.ts'

/** The class of meeting (ordinary, extraordinary) or its modality (in person, remote, mixed) as a select. */
export function assemblyChoiceField(
  name: 'kind' | 'modality',
  input: { id?: string; value?: string } = {},
): HTMLElement {
  const options =
    name === 'kind'
      ? [
          { value: 'ordinary', label: t('kindOrdinary') },
          { value: 'extraordinary', label: t('kindExtraordinary') },
        ]
      : [
          { value: 'in_person', label: t('modalityInPerson') },
          { value: 'remote', label: t('modalityRemote') },
          { value: 'mixed', label: t('modalityMixed') },
        ]
  return selectField({ name, label: t(name), ...input, options })
}

/** The PH's assemblies (newest first) and the form to create one. */
export async function renderAssemblies(ctx: AdminContext, container: HTMLElement): Promise<void> {
  const notices = createNotices()
  const { assemblies } = await get<{ assemblies: Assembly[] }>(`${ctx.base}/assemblies`)
  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim()
        const optional = (name: string) => text(name) || undefined
        try {
          const created = await post<Assembly>(`${ctx.base}/assemblies`, {
            title: text('title'),
            kind: text('kind'),
            modality: text('modality'),
            firstCallAt: localInputToIso(text('firstCallAt')),
            secondCallAt: localInputToIso(text('secondCallAt')) ?? undefined,
            quorumRule: text('quorumRule'),
            location: optional('location'),
            meetingUrl: optional('meetingUrl'),
            convenedBy: optional('convenedBy'),
            convenerPosition: optional('convenerPosition'),
            callText: optional('callText'),
          })
          notices.ok(t('created'))
          ctx.go(`assembly=${created.id}`)
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'title', label: t('assemblyTitle'), required: true }),
    assemblyChoiceField('kind'),
    assemblyChoiceField('modality', { value: 'mixed' }),
    textField({ name: 'location', label: t('location') }),
    textField({ name: 'meetingUrl', label: t('meetingUrl'), type: 'url' }),
    textField({ name: 'firstCallAt', label: t('firstCallAt'), type: 'datetime-local', required: true }),
    textField({
      name: 'secondCallAt',
      label: t('secondCallAt'),
      hint: t('secondCallHint'),
      type: 'datetime-local',
    }),
    // Display names with their source (never the raw code); the note asks to confirm against the by-laws.
    presetField({ name: 'quorumRule', label: t('quorumRule'), presets: listPresets().quorum }),
    textField({ name: 'convenedBy', label: t('convenedBy'), hint: t('convenedByHint') }),
    textField({ name: 'convenerPosition', label: t('convenerPosition'), hint: t('convenerPositionHint') }),
    textArea({ name: 'callText', label: t('callText'), hint: t('callTextHint') }),
    h('button', { type: 'submit', class: 'primary' }, t('create')),
  )
  replace(
    container,
    notices.element,
    section(
      'assemblies-title',
      t('assembliesTitle'),
      assemblies.length === 0
        ? h('p', null, t('noAssemblies'))
        : h(
            'ul',
            { class: 'plain-list' },
            assemblies.map((assembly) =>
              h(
                'li',
                null,
                h('a', { href: `#assembly=${seg(assembly.id)}` }, assembly.title),
                h(
                  'div',
                  { class: 'muted' },
                  `${t('actaNumber', { n: assembly.number })} · ${assemblyStatusText(assembly.status)} · ${formatDateTime(assembly.firstCallAt)}`,
                ),
              ),
            ),
          ),
    ),
    section('create-title', t('createTitle'), h('p', { class: 'hint' }, t('createHint')), form),
  )
}
