import { maxChoicesOf } from '../../../core/motions/choice-limits.ts'
import { common } from '../i18n/common.ts'
import { voteMessages } from '../i18n/vote.ts'
import { ApiError, get, post, seg } from '../lib/api.ts'
import { announce, type Child, focusOn, h, replace } from '../lib/dom.ts'
import { formatPercent } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox } from '../lib/layout.ts'
import type { MotionDetail, Rejection, StoredReceipt, VotableUnit, VoteReceipt } from './types.ts'

const t = translator<keyof typeof voteMessages.es>(common, voteMessages)

type Phase = 'choose' | 'confirm' | 'sending' | 'done'

/**
 * One open motion's ballot. Its state lives here, not in the DOM: live updates redraw other parts
 * of the page and never touch a half-filled ballot.
 */
export interface Ballot {
  organizationId: string
  motion: MotionDetail
  units: VotableUnit[]
  mode: 'together' | 'each'
  together: string[]
  included: Set<string>
  each: Map<string, string[]>
  phase: Phase
  message: HTMLElement | null
  receipts: StoredReceipt[]
  listed: Map<string, boolean>
  element: HTMLElement
}

const storageKey = (motionId: string) => `assembly.receipts.${motionId}`

function loadReceipts(motionId: string): StoredReceipt[] {
  try {
    return JSON.parse(localStorage.getItem(storageKey(motionId)) ?? '[]') as StoredReceipt[]
  } catch {
    return []
  }
}

function saveReceipts(motionId: string, receipts: StoredReceipt[]): void {
  try {
    localStorage.setItem(storageKey(motionId), JSON.stringify(receipts))
  } catch {}
}

export const canVote = (unit: VotableUnit, motion: MotionDetail) =>
  unit.present && (!motion.majorityRule.eligibleOnly || unit.upToDate)

export function createBallot(organizationId: string, motion: MotionDetail, units: VotableUnit[]): Ballot {
  const receipts = loadReceipts(motion.id)
  const ballot: Ballot = {
    organizationId,
    motion,
    units,
    mode: 'together',
    together: [],
    included: new Set(units.filter((unit) => canVote(unit, motion)).map((unit) => unit.unitId)),
    each: new Map(),
    phase: receipts.length > 0 ? 'done' : 'choose',
    message: null,
    receipts,
    listed: new Map(),
    element: h('div'),
  }
  drawBallot(ballot)
  if (receipts.length > 0) void checkListed(ballot)
  return ballot
}

/** New facts about the units (presence changes): kept choices stay. */
export function updateUnits(ballot: Ballot, units: VotableUnit[]): void {
  const before = JSON.stringify(ballot.units)
  ballot.units = units
  for (const unit of units) {
    if (!canVote(unit, ballot.motion)) ballot.included.delete(unit.unitId)
  }
  if (before !== JSON.stringify(units) && ballot.phase === 'choose') drawBallot(ballot)
}

const labelOf = (ballot: Ballot, keys: string[]) =>
  keys.map((key) => ballot.motion.options.find((option) => option.key === key)?.label ?? key).join(', ')

function optionInputs(
  ballot: Ballot,
  name: string,
  chosen: () => string[],
  choose: (keys: string[]) => void,
  disabled: boolean,
) {
  const multiple = ballot.motion.choiceMode === 'multiple'
  const max = maxChoicesOf(ballot.motion)
  const limited = multiple && max < ballot.motion.options.filter((option) => option.kind !== 'abstain').length
  const counter = h('p', { class: 'hint choice-count', 'aria-live': 'polite' })
  const inputs: HTMLInputElement[] = []
  // At the limit the unticked candidates are disabled, so nobody sends a ballot the server refuses.
  const refresh = () => {
    const count = chosen().filter((key) =>
      ballot.motion.options.some((o) => o.key === key && o.kind !== 'abstain'),
    )
    const full = count.length >= max
    counter.textContent = t(full ? 'chosenFull' : 'chosenCount', {
      chosen: String(count.length),
      max: String(max),
    })
    for (const input of inputs) input.disabled = disabled || (!input.checked && count.length >= max)
  }
  const labels = ballot.motion.options.map((option) => {
    const id = `${name}-${option.key}`
    const input = h('input', {
      id,
      type: multiple ? 'checkbox' : 'radio',
      name,
      value: option.key,
      checked: chosen().includes(option.key),
      disabled,
      onchange: (event: Event) => {
        const checked = (event.target as HTMLInputElement).checked
        const others = chosen().filter((key) => key !== option.key)
        choose(multiple ? (checked ? [...others, option.key] : others) : [option.key])
        if (limited) refresh()
      },
    }) as HTMLInputElement
    if (option.kind !== 'abstain') inputs.push(input)
    return h('label', { class: 'choice', for: id }, input, option.label)
  })
  if (!limited) return labels
  refresh()
  const hint = ballot.motion.seats
    ? t(max === 1 ? 'electionHintOne' : 'electionHint', {
        seats: String(ballot.motion.seats),
        max: String(max),
      })
    : t('upToHint', { max: String(max) })
  return [h('p', null, h('strong', null, hint)), ...labels, counter]
}

function unitDescription(unit: VotableUnit): string {
  const role = unit.role === 'owner' ? t('roleOwner') : t('roleProxy')
  return `${t('unitLegend', { number: unit.number })} · ${role} · ${t('unitCoefficient', { value: formatPercent(unit.coefficient, 3) })}`
}

function unitNote(ballot: Ballot, unit: VotableUnit): Child {
  if (!unit.present)
    return h('p', { class: 'hint' }, h('span', { 'aria-hidden': 'true' }, 'ⓘ '), t('notPresent'))
  if (ballot.motion.majorityRule.eligibleOnly && !unit.upToDate)
    return h('p', { class: 'hint' }, h('span', { 'aria-hidden': 'true' }, 'ⓘ '), t('notUpToDate'))
  return null
}

function chooseView(ballot: Ballot): Child[] {
  const { motion, units } = ballot
  if (units.length === 0) return [h('p', { class: 'notice notice-info' }, t('noUnits'))]
  const prefix = `m${motion.id.slice(0, 8)}`
  const parts: Child[] = []
  if (units.some((unit) => !unit.present)) {
    parts.push(
      h(
        'p',
        null,
        h(
          'button',
          { type: 'button', class: 'big', onclick: () => void checkInRemotely(ballot) },
          t('checkIn'),
        ),
      ),
    )
  }
  if (units.length > 1) {
    parts.push(
      h(
        'fieldset',
        null,
        h('legend', null, t('howTitle', { n: units.length })),
        (['together', 'each'] as const).map((mode) =>
          h(
            'label',
            { class: 'choice', for: `${prefix}-mode-${mode}` },
            h('input', {
              id: `${prefix}-mode-${mode}`,
              type: 'radio',
              name: `${prefix}-mode`,
              checked: ballot.mode === mode,
              onchange: () => {
                ballot.mode = mode
                drawBallot(ballot)
                document.getElementById(`${prefix}-mode-${mode}`)?.focus()
              },
            }),
            mode === 'together' ? t('howTogether') : t('howEach'),
          ),
        ),
      ),
    )
  }
  if (ballot.mode === 'together' || units.length === 1) {
    const single = units.length === 1 ? units[0]! : null
    parts.push(
      h(
        'fieldset',
        null,
        h('legend', null, single ? unitDescription(single) : t('togetherLegend')),
        single ? unitNote(ballot, single) : null,
        optionInputs(
          ballot,
          `${prefix}-all`,
          () => ballot.together,
          (keys) => {
            ballot.together = keys
          },
          single ? !canVote(single, motion) : false,
        ),
      ),
    )
    if (!single) {
      parts.push(
        h(
          'fieldset',
          null,
          h('legend', null, t('includeLegend')),
          units.map((unit) =>
            h(
              'div',
              null,
              h(
                'label',
                { class: 'choice', for: `${prefix}-inc-${unit.unitId}` },
                h('input', {
                  id: `${prefix}-inc-${unit.unitId}`,
                  type: 'checkbox',
                  checked: ballot.included.has(unit.unitId),
                  disabled: !canVote(unit, motion),
                  onchange: (event: Event) => {
                    if ((event.target as HTMLInputElement).checked) ballot.included.add(unit.unitId)
                    else ballot.included.delete(unit.unitId)
                  },
                }),
                unitDescription(unit),
              ),
              unitNote(ballot, unit),
            ),
          ),
        ),
      )
    }
  } else {
    for (const unit of units) {
      parts.push(
        h(
          'fieldset',
          null,
          h('legend', null, unitDescription(unit)),
          unitNote(ballot, unit),
          optionInputs(
            ballot,
            `${prefix}-u-${unit.unitId}`,
            () => ballot.each.get(unit.unitId) ?? [],
            (keys) => {
              ballot.each.set(unit.unitId, keys)
            },
            !canVote(unit, motion),
          ),
        ),
      )
    }
  }
  parts.push(h('button', { type: 'submit', class: 'primary big' }, t('review')))
  return [h('form', { novalidate: true, onsubmit: (event: Event) => review(event, ballot) }, parts)]
}

/** The ballots to send, one per unit with a choice. */
function ballotsOf(ballot: Ballot): { unitId: string; optionKeys: string[] }[] {
  const votable = ballot.units.filter((unit) => canVote(unit, ballot.motion))
  if (ballot.mode === 'together' || ballot.units.length === 1) {
    if (ballot.together.length === 0) return []
    const chosen =
      ballot.units.length === 1 ? votable : votable.filter((unit) => ballot.included.has(unit.unitId))
    return chosen.map((unit) => ({ unitId: unit.unitId, optionKeys: ballot.together }))
  }
  return votable
    .map((unit) => ({ unitId: unit.unitId, optionKeys: ballot.each.get(unit.unitId) ?? [] }))
    .filter((item) => item.optionKeys.length > 0)
}

function review(event: Event, ballot: Ballot): void {
  event.preventDefault()
  if (ballotsOf(ballot).length === 0) {
    ballot.message = errorBox(t('chooseFirst'))
    drawBallot(ballot, true)
    return
  }
  ballot.message = null
  ballot.phase = 'confirm'
  drawBallot(ballot, true)
}

const unitNumber = (ballot: Ballot, unitId: string) =>
  ballot.units.find((unit) => unit.unitId === unitId)?.number ?? unitId

function confirmView(ballot: Ballot): Child[] {
  const items = ballotsOf(ballot)
  const sending = ballot.phase === 'sending'
  return [
    h('h3', { class: 'focus-target' }, t('confirmTitle')),
    h('p', null, t('confirmIntro')),
    h(
      'ul',
      { class: 'plain-list' },
      items.map((item) =>
        h(
          'li',
          null,
          h(
            'strong',
            null,
            t('confirmLine', {
              number: unitNumber(ballot, item.unitId),
              choice: labelOf(ballot, item.optionKeys),
            }),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'primary big', disabled: sending, onclick: () => void send(ballot) },
        sending ? t('sending') : t('confirm'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'big',
          disabled: sending,
          onclick: () => {
            ballot.phase = 'choose'
            drawBallot(ballot, true)
          },
        },
        t('back'),
      ),
    ),
  ]
}

function doneView(ballot: Ballot): Child[] {
  const open = ballot.motion.status === 'open'
  return [
    h('h3', { class: 'focus-target' }, t('receiptsTitle')),
    h('p', { class: 'muted' }, t('receiptHint')),
    h(
      'ul',
      { class: 'plain-list' },
      ballot.receipts.map((receipt) => {
        const listed = ballot.listed.get(receipt.receiptCode)
        return h(
          'li',
          null,
          h(
            'div',
            null,
            t('receiptLine', { number: receipt.unitNumber, choice: labelOf(ballot, receipt.optionKeys) }),
          ),
          h('div', { class: 'receipt-code' }, receipt.receiptCode),
          h(
            'div',
            { class: 'row' },
            listed === undefined
              ? null
              : h(
                  'span',
                  { class: `badge ${listed ? 'badge-ok' : ''}` },
                  h('span', { 'aria-hidden': 'true' }, listed ? '✓ ' : '… '),
                  listed ? t('inPublicList') : t('notYetInList'),
                ),
            h(
              'a',
              { href: `/receipts?motion=${seg(ballot.motion.id)}&code=${seg(receipt.receiptCode)}` },
              t('verifyLink'),
            ),
          ),
        )
      }),
    ),
    open
      ? h(
          'button',
          {
            type: 'button',
            class: 'big',
            onclick: () => {
              ballot.phase = 'choose'
              ballot.message = null
              drawBallot(ballot, true)
            },
          },
          t('revote'),
        )
      : null,
  ]
}

async function send(ballot: Ballot): Promise<void> {
  const ballots = ballotsOf(ballot)
  ballot.phase = 'sending'
  drawBallot(ballot)
  try {
    const result = await post<{ votes: VoteReceipt[] }>(
      `/organizations/${seg(ballot.organizationId)}/motions/${seg(ballot.motion.id)}/votes`,
      { ballots, channel: 'web' },
    )
    const kept = new Map(ballot.receipts.map((receipt) => [receipt.unitId, receipt]))
    for (const vote of result.votes) {
      kept.set(vote.unitId, {
        unitId: vote.unitId,
        unitNumber: vote.unitNumber,
        receiptCode: vote.receiptCode,
        optionKeys: ballots.find((item) => item.unitId === vote.unitId)?.optionKeys ?? [],
      })
    }
    ballot.receipts = [...kept.values()]
    saveReceipts(ballot.motion.id, ballot.receipts)
    ballot.phase = 'done'
    ballot.message = okBox(
      result.votes.length > 1 ? t('recordedFor', { n: result.votes.length }) : t('recorded'),
    )
    drawBallot(ballot, true)
    announce(result.votes.length > 1 ? t('recordedFor', { n: result.votes.length }) : t('recorded'))
    setTimeout(() => void checkListed(ballot), 1500)
  } catch (error) {
    ballot.phase = 'choose'
    ballot.message = errorBox(voteError(ballot, error))
    drawBallot(ballot, true)
  }
}

function voteError(ballot: Ballot, error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error)
  if (error.code === 'motion_not_open' || error.code === 'motion_closed') return t('motionClosedError')
  const rejected = (error.details as { rejected?: Rejection[] } | undefined)?.rejected
  if (rejected?.length) {
    return rejected
      .map((item) => t('unitRejected', { number: unitNumber(ballot, item.unitId), message: item.message }))
      .join(' ')
  }
  return errorText(error)
}

/** Remote self check-in from the ballot, for units without attendance; then their facts again. */
async function checkInRemotely(ballot: Ballot): Promise<void> {
  const base = `/organizations/${seg(ballot.organizationId)}`
  try {
    await post(`${base}/assemblies/${seg(ballot.motion.assemblyId)}/attendance/self-check-in`, {
      mode: 'remote',
    })
    const votable = await get<{ units: VotableUnit[] }>(
      `${base}/motions/${seg(ballot.motion.id)}/votable-units`,
    )
    ballot.units = votable.units
    ballot.included = new Set(
      votable.units.filter((unit) => canVote(unit, ballot.motion)).map((unit) => unit.unitId),
    )
    ballot.message = okBox(t('checkedIn'))
    announce(t('checkedIn'))
  } catch (error) {
    ballot.message = errorBox(
      error instanceof ApiError && error.code === 'mode_not_allowed' ? t('inPersonOnly') : errorText(error),
    )
  }
  drawBallot(ballot, true)
}

/** Asks the public receipt list whether each receipt is there (the batch writer commits within seconds). */
async function checkListed(ballot: Ballot): Promise<void> {
  for (const receipt of ballot.receipts) {
    const verdict = await get<{ found: boolean }>(
      `/public/motions/${seg(ballot.motion.id)}/receipts/${seg(receipt.receiptCode)}`,
      { allowAnonymous: true },
    ).catch(() => null)
    if (verdict) ballot.listed.set(receipt.receiptCode, verdict.found)
  }
  if (ballot.phase === 'done') drawBallot(ballot)
  if ([...ballot.listed.values()].some((found) => !found) && ballot.motion.status === 'open') {
    setTimeout(() => void checkListed(ballot), 3000)
  }
}

/** Draws the ballot into its element; with `focus`, moves focus to its new heading or message. */
export function drawBallot(ballot: Ballot, focus = false): void {
  const { phase } = ballot
  const body =
    phase === 'choose' ? chooseView(ballot) : phase === 'done' ? doneView(ballot) : confirmView(ballot)
  replace(ballot.element, ballot.message, body)
  if (focus)
    focusOn(
      ballot.element.querySelector<HTMLElement>('[role="alert"], .focus-target, [role="status"]') ?? null,
    )
}
