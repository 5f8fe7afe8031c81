import type { PresetInfo } from '../../../core/rules/preset-catalog.ts'
import { selectField } from '../lib/forms.ts'
import { currentLang } from '../lib/i18n.ts'

/** The chosen rule in full (a select cuts long names off) with its note to confirm against the by-laws. */
export function presetSentence(info: PresetInfo | undefined): string {
  if (!info) return ''
  const lang = currentLang()
  return [info.label[lang], info.note?.[lang]].filter(Boolean).join('. ')
}

/**
 * A select of rule presets (display names, never codes) whose hint spells out the chosen one in full
 * and follows the choice.
 */
export function presetField(input: {
  name: string
  label: string
  presets: PresetInfo[]
  value?: string
}): HTMLElement {
  const offered = input.presets.filter((info) => info.offered || info.code === input.value)
  const chosen = offered.find((info) => info.code === input.value) ?? offered[0]
  const field = selectField({
    name: input.name,
    label: input.label,
    value: chosen?.code,
    hint: presetSentence(chosen),
    options: offered.map((info) => ({ value: info.code, label: info.label[currentLang()] })),
    props: {
      onchange: (event: Event) => {
        const code = (event.target as HTMLSelectElement).value
        const hint = field.querySelector('.hint')
        if (hint) hint.textContent = presetSentence(offered.find((info) => info.code === code))
      },
    },
  })
  return field
}
