import { type Child, h, type Props } from './dom.ts'

let counter = 0
const nextId = (name: string) => `f-${name}-${++counter}`

/** What every labelled field takes. */
interface FieldInput {
  name: string
  label: string
  hint?: string
  /** A fixed id (default: generated). */
  id?: string
  props?: Props
}

/** A label and optional hint above a control, tied to it by `for` and `aria-describedby`. */
function labelled(input: FieldInput, control: (id: string, hintId: string | null) => Child): HTMLElement {
  const id = input.id ?? nextId(input.name)
  const hintId = input.hint ? `${id}-hint` : null
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, input.label),
    input.hint ? h('span', { class: 'hint', id: hintId }, input.hint) : null,
    control(id, hintId),
  )
}

/** A labelled input with an optional hint. */
export function textField(
  input: FieldInput & { type?: string; value?: string | null; required?: boolean },
): HTMLElement {
  return labelled(input, (id, hintId) =>
    h('input', {
      id,
      name: input.name,
      type: input.type ?? 'text',
      value: input.value ?? '',
      required: input.required,
      'aria-describedby': hintId,
      ...input.props,
    }),
  )
}

export function textArea(input: FieldInput & { value?: string | null }): HTMLElement {
  return labelled(input, (id, hintId) =>
    h('textarea', {
      id,
      name: input.name,
      'aria-describedby': hintId,
      value: input.value ?? '',
      ...input.props,
    }),
  )
}

export function selectField(
  input: FieldInput & { options: { value: string; label: string }[]; value?: string },
): HTMLElement {
  return labelled(input, (id, hintId) =>
    h(
      'select',
      { id, name: input.name, 'aria-describedby': hintId, ...input.props },
      input.options.map((option) =>
        h('option', { value: option.value, selected: option.value === input.value }, option.label),
      ),
    ),
  )
}

/** A single checkbox with its label on the right. */
export function checkboxField(input: { name: string; label: string; checked?: boolean }): HTMLElement {
  const id = nextId(input.name)
  return h(
    'label',
    { class: 'choice', for: id },
    h('input', { id, type: 'checkbox', name: input.name, checked: input.checked ?? false }),
    input.label,
  )
}

/** Runs an async submit handler with the form's buttons disabled meanwhile (no double submits). */
export function onSubmit(handler: (form: HTMLFormElement) => Promise<void>): (event: Event) => void {
  return (event) => {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const buttons = [...form.querySelectorAll('button')]
    for (const button of buttons) button.disabled = true
    handler(form).finally(() => {
      for (const button of buttons) button.disabled = false
    })
  }
}

/** A table with a header row; `numeric` columns are right-aligned. */
export function dataTable(
  columns: { label: string; numeric?: boolean }[],
  rows: Child,
  caption?: string,
): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      null,
      caption ? h('caption', null, caption) : null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((column) =>
            h('th', { scope: 'col', class: column.numeric ? 'number' : null }, column.label),
          ),
        ),
      ),
      h('tbody', null, rows),
    ),
  )
}
