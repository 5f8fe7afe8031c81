import type { RosterUnit } from '../../../core/ph/unit-list.ts'
import { del, get, patch, post, put, seg } from '../lib/api.ts'
import { type Child, field, focusOn, h, replace } from '../lib/dom.ts'
import { checkboxField, onSubmit, textField } from '../lib/forms.ts'
import { type AdminContext, createNotices, t } from './context.ts'

/** A unit of the roster list, with its owners (representative first), as GET …/units answers it. */
export type { RosterUnit }

type RosterOwner = RosterUnit['owners'][number]

interface PersonBody {
  fullName: string
  documentId: string | null
  email: string | null
  phone: string | null
}

/** Person fields of one owner block, named `<prefix>.<field>`. */
function personFields(prefix: string, person: Partial<RosterOwner>, required: boolean): HTMLElement {
  return h(
    'div',
    { class: 'field-grid' },
    textField({ name: `${prefix}.fullName`, label: t('fullName'), value: person.fullName, required }),
    textField({ name: `${prefix}.documentId`, label: t('documentId'), value: person.documentId }),
    textField({ name: `${prefix}.email`, label: t('email'), type: 'email', value: person.email }),
    textField({
      name: `${prefix}.phone`,
      label: t('phone'),
      type: 'tel',
      hint: t('phoneHint'),
      value: person.phone,
    }),
  )
}

function readPerson(form: HTMLFormElement, prefix: string): PersonBody {
  const value = (name: string) => field(form, `${prefix}.${name}`) || null
  return {
    fullName: field(form, `${prefix}.fullName`),
    documentId: value('documentId'),
    email: value('email'),
    phone: value('phone'),
  }
}

function samePerson(owner: RosterOwner, body: PersonBody): boolean {
  return (
    owner.fullName === body.fullName &&
    owner.documentId === body.documentId &&
    owner.email === body.email &&
    owner.phone === body.phone
  )
}

/**
 * The editor of one unit (or of a new one when `unit` is null): its fields, then its owners and
 * co-owners with the representative. `done` redraws the list with a message.
 */
export function unitEditor(
  ctx: AdminContext,
  unit: RosterUnit | null,
  done: (message: string | null, reopen?: string) => Promise<void>,
): HTMLElement {
  const notices = createNotices()
  const titleId = 'unit-editor-title'
  const unitForm = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const body = {
          number: field(form, 'number'),
          finca: field(form, 'finca') || null,
          coefficient: field(form, 'coefficient'),
          upToDate: (form.elements.namedItem('upToDate') as HTMLInputElement).checked,
        }
        try {
          if (unit) {
            await patch(`${ctx.base}/units/${seg(unit.id)}`, body)
            await done(t('unitSaved', { number: body.number }), unit.id)
          } else {
            const created = await post<{ id: string }>(`${ctx.base}/units`, body)
            await done(t('unitCreated', { number: body.number }), created.id)
          }
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    h(
      'div',
      { class: 'field-grid' },
      textField({ name: 'number', label: t('unitNumber'), value: unit?.number, required: true }),
      textField({ name: 'finca', label: t('finca'), value: unit?.finca }),
      textField({
        name: 'coefficient',
        label: t('coefficient'),
        hint: t('coefficientHint'),
        value: unit?.coefficient.replace(/\.?0+$/, ''),
        required: true,
        props: { inputmode: 'decimal' },
      }),
    ),
    checkboxField({ name: 'upToDate', label: t('upToDateYes'), checked: unit?.upToDate ?? true }),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, t('saveUnit')),
      unit
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: async () => {
                if (!confirm(t('confirmDeleteUnit', { number: unit.number }))) return
                try {
                  await del(`${ctx.base}/units/${seg(unit.id)}`)
                  await done(t('unitDeleted', { number: unit.number }))
                } catch (error) {
                  notices.fail(error)
                }
              },
            },
            t('deleteUnit'),
          )
        : null,
      h('button', { type: 'button', onclick: () => done(null) }, t('closeEditor')),
    ),
  )
  const panel = h(
    'section',
    { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, unit ? t('editUnit', { number: unit.number }) : t('newUnit')),
    notices.element,
    unitForm,
    unit ? ownersForm(ctx, unit, notices, done) : null,
  )
  queueMicrotask(() => focusOn(panel.querySelector('h2')))
  return panel
}

function ownersForm(
  ctx: AdminContext,
  unit: RosterUnit,
  notices: ReturnType<typeof createNotices>,
  done: (message: string | null, reopen?: string) => Promise<void>,
): Child {
  const blocks = unit.owners.map((owner, index) =>
    h(
      'fieldset',
      { class: 'owner-editor' },
      h('legend', null, t('ownerNumber', { n: index + 1 })),
      personFields(`o${index}`, owner, true),
      h(
        'div',
        { class: 'row' },
        h(
          'label',
          { class: 'choice' },
          h('input', {
            type: 'radio',
            name: 'representative',
            value: String(index),
            checked: owner.isRepresentative,
          }),
          t('isRepresentative'),
        ),
        checkboxField({ name: `o${index}.remove`, label: t('removeOwner') }),
      ),
    ),
  )
  const newBlock = h(
    'fieldset',
    { class: 'owner-editor' },
    h('legend', null, t('addCoOwner')),
    h('p', { class: 'hint' }, t('addCoOwnerHint')),
    personFields('new', {}, false),
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: 'representative', value: 'new', checked: unit.owners.length === 0 }),
      t('isRepresentative'),
    ),
  )
  const save = async (form: HTMLFormElement) => {
    const representative = field(form, 'representative')
    const kept: Array<{ personId: string; isRepresentative: boolean }> = []
    try {
      // Person details first: a refused email or phone stops here, before the owners change.
      for (const [index, owner] of unit.owners.entries()) {
        if ((form.elements.namedItem(`o${index}.remove`) as HTMLInputElement).checked) continue
        const body = readPerson(form, `o${index}`)
        if (!samePerson(owner, body)) await patch(`${ctx.base}/people/${seg(owner.personId)}`, body)
        kept.push({ personId: owner.personId, isRepresentative: representative === String(index) })
      }
      const added = readPerson(form, 'new')
      if (added.fullName !== '') {
        const person = await post<{ id: string }>(`${ctx.base}/people`, added)
        kept.push({ personId: person.id, isRepresentative: representative === 'new' })
      }
      // One owner left is the representative whatever was ticked.
      if (kept.length === 1) kept[0]!.isRepresentative = true
      await put(`${ctx.base}/units/${seg(unit.id)}/owners`, { owners: kept })
      await done(t('ownersSaved', { number: unit.number }), unit.id)
    } catch (error) {
      notices.fail(error)
    }
  }
  return [
    h('h3', null, t('ownersTitle')),
    h('p', { class: 'hint' }, t('ownersHint')),
    h(
      'form',
      { onsubmit: onSubmit(save) },
      blocks,
      newBlock,
      h('button', { type: 'submit', class: 'primary' }, t('saveOwners')),
    ),
  ]
}

/** Loads one unit with its owners for the editor. */
export async function loadRosterUnit(ctx: AdminContext, unitId: string): Promise<RosterUnit | null> {
  const unit = await get<Omit<RosterUnit, 'owners'>>(`${ctx.base}/units/${seg(unitId)}`)
  const { owners } = await get<{ owners: RosterOwner[] }>(`${ctx.base}/units/${seg(unitId)}/owners`)
  return { ...unit, owners }
}

/** Replaces `area` with the editor of the unit (or a new one). */
export function showEditor(
  area: HTMLElement,
  ctx: AdminContext,
  unit: RosterUnit | null,
  done: (message: string | null, reopen?: string) => Promise<void>,
): void {
  replace(area, unitEditor(ctx, unit, done))
  area.scrollIntoView({ block: 'start' })
}
