import { listPresets, majorityPresetInfo } from '../../../core/rules/preset-catalog.ts'
import { ApiError, api, get, post, seg } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent, thresholdPercent } from '../lib/format.ts'
import { checkboxField, dataTable, onSubmit, selectField, textArea, textField } from '../lib/forms.ts'
import { currentLang } from '../lib/i18n.ts'
import { motionStatusText, outcomeText } from '../lib/layout.ts'
import type { MotionView } from '../lib/live.ts'
import type { MotionDetail } from '../vote/types.ts'
import { type AdminContext, createNotices, redrawThenSay, section, t } from './context.ts'
import { candidateLabel, electionBody, electionFields, electionOutcome } from './election.ts'
import { presetField } from './preset-hint.ts'
import type { AgendaItem, Assembly, LiveQuorum, MotionResult, Threshold } from './types.ts'

type Count = MotionResult['totals']['tally']['cast']['upToDate']

interface ResultsResponse {
  motions: { motionId: string; result: MotionResult | null }[]
}

function thresholdText(threshold: Threshold | null): string {
  const value = thresholdPercent(threshold)
  if (value === null || !threshold) return ''
  return threshold.strict
    ? t('moreThan', { value: formatPercent(value) })
    : t('atLeast', { value: formatPercent(value) })
}

function resultView(motion: MotionDetail, result: MotionResult, ctx: AdminContext): HTMLElement {
  const { tally, majority, election } = result.totals
  const byUnits = majority.base === 'units'
  const withheld = (value: string | null, show: (value: string) => string) =>
    value === null ? t('withheld') : show(value)
  const number = (value: string | null) =>
    withheld(value, (v) => (byUnits ? formatInteger(Number(v)) : formatPercent(v, 3)))
  const label = (key: string) => motion.options.find((option) => option.key === key)?.label ?? key
  const row = (name: Child, count: Count, header = false) =>
    h(
      'tr',
      null,
      header ? h('th', { scope: 'row' }, name) : h('td', null, name),
      h(
        'td',
        { class: 'number' },
        withheld(count.coefficient, (v) => formatPercent(v, 3)),
      ),
      h('td', { class: 'number' }, formatInteger(count.units)),
    )
  return h(
    'div',
    { class: 'stack' },
    h('h4', null, t('resultsTitle')),
    election
      ? electionOutcome(election, label)
      : h('p', null, h('strong', null, t('outcomeLine', { outcome: outcomeText(result.outcome) }))),
    h('p', null, h('span', { class: 'muted' }, `${t('explanation')}: `), result.explanation),
    h(
      'p',
      null,
      election && !majority.threshold
        ? null
        : majority.threshold
          ? t('majorityNumbers', {
              numerator: number(majority.numerator),
              denominator: number(majority.denominator),
              percent: withheld(majority.percent, (v) => formatPercent(v)),
              threshold: thresholdText(majority.threshold),
            })
          : t('majorityNoThreshold'),
    ),
    dataTable(
      [
        { label: t('tableOption') },
        { label: t('tableCoefficient'), numeric: true },
        { label: t('tableUnits'), numeric: true },
      ],
      [
        tally.options.map((option) =>
          row(candidateLabel(election, option.key, label(option.key)), option, true),
        ),
        row(t('rowCast'), tally.cast),
        row(t('rowAbstained'), tally.abstained),
        row(t('rowPresent'), tally.present),
        row(t('rowNotVoted'), tally.notVoted),
      ],
    ),
    h('p', { class: 'hint' }, t('hash'), ' ', h('code', null, result.hash)),
    h(
      'p',
      { class: 'row' },
      h(
        'a',
        {
          href: `/api${ctx.base}/motions/${seg(motion.id)}/exports/votes?lang=${currentLang()}`,
          download: '',
        },
        t('votesCsv'),
      ),
      h('a', { href: `/receipts?motion=${seg(motion.id)}` }, t('receiptsLink')),
    ),
  )
}

/** A sentence for a refused open: the quorum gate with its numbers, or the reason. */
function openError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error
  if (error.code === 'quorum_not_reached') {
    const quorum = error.details as LiveQuorum | undefined
    if (!quorum?.byCoefficient) return error.message
    return t('quorumGate', {
      coefficient: formatPercent(quorum.byCoefficient.percent),
      present: formatInteger(quorum.byUnits.present),
      total: formatInteger(quorum.byUnits.total),
      threshold: thresholdText(quorum.threshold),
    })
  }
  if (error.code === 'assembly_not_in_progress') return t('notInProgress')
  return error
}

/** The assembly's motions: create, open (behind the quorum gate), close, results. */
export async function renderMotions(
  ctx: AdminContext,
  container: HTMLElement,
  assembly: Assembly,
  agenda: AgendaItem[],
): Promise<{ onLive(motions: MotionView[]): void }> {
  const notices = createNotices()
  const assemblyPath = `${ctx.base}/assemblies/${seg(assembly.id)}`
  const [{ motions }, results] = await Promise.all([
    get<{ motions: MotionDetail[] }>(`${assemblyPath}/motions`),
    get<ResultsResponse>(`${assemblyPath}/results`),
  ])
  const resultOf = new Map(results.motions.map((item) => [item.motionId, item.result]))
  const refresh = () => renderMotions(ctx, container, assembly, agenda)
  const act = async (motion: MotionDetail, action: 'open' | 'close' | 'delete') => {
    try {
      const path = `${ctx.base}/motions/${seg(motion.id)}`
      if (action === 'close' && !confirm(t('confirmClose', { title: motion.title }))) return
      if (action === 'delete') await api('DELETE', path)
      else await post(`${path}/${action}`)
      if (action === 'delete') await refresh()
      else
        await redrawThenSay(
          container,
          refresh,
          action === 'open' ? t('opened', { title: motion.title }) : t('closed', { title: motion.title }),
        )
    } catch (error) {
      notices.fail(action === 'open' ? openError(error) : error)
    }
  }

  const items = motions.map((motion) => {
    const result = resultOf.get(motion.id)
    const rule = motion.majorityRule as { preset?: string }
    // The rule by its name, never its code (a rule without a known preset shows nothing here).
    const ruleName = majorityPresetInfo(rule.preset)?.label[currentLang()]
    return h(
      'li',
      null,
      h('h3', null, motion.title),
      h(
        'p',
        { class: 'row' },
        h(
          'span',
          { class: `badge ${motion.status === 'open' ? 'badge-live' : ''}` },
          motionStatusText(motion.status),
        ),
        ruleName ? h('span', { class: 'muted' }, t('rulePreset', { name: ruleName })) : null,
        h('span', { class: 'muted', id: `admin-progress-${motion.id}` }),
      ),
      h(
        'div',
        { class: 'row' },
        motion.status === 'draft'
          ? [
              h(
                'button',
                { type: 'button', class: 'primary', onclick: () => void act(motion, 'open') },
                t('openMotion'),
              ),
              h(
                'button',
                { type: 'button', class: 'danger', onclick: () => void act(motion, 'delete') },
                t('deleteMotion'),
              ),
            ]
          : null,
        motion.status === 'open'
          ? h(
              'button',
              { type: 'button', class: 'primary', onclick: () => void act(motion, 'close') },
              t('closeMotion'),
            )
          : null,
      ),
      result ? resultView(motion, result, ctx) : null,
    )
  })

  let optionsMode: 'yesno' | 'custom' | 'election' = 'yesno'
  const optionsArea = h('div')
  const drawOptionsArea = () =>
    replace(
      optionsArea,
      optionsMode === 'election'
        ? electionFields()
        : optionsMode === 'custom'
          ? [
              textArea({ name: 'options', label: t('optionsList') }),
              selectField({
                name: 'choiceMode',
                label: t('choiceMode'),
                options: [
                  { value: 'single', label: t('choiceSingle') },
                  { value: 'multiple', label: t('choiceMultiple') },
                ],
              }),
            ]
          : null,
    )
  drawOptionsArea()
  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim()
        const customOptions = optionsMode === 'custom'
        const options = customOptions
          ? text('options')
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
              .map((label, index) => ({ key: `option-${index + 1}`, label, kind: 'choice' }))
          : undefined
        try {
          await post(`${assemblyPath}/motions`, {
            title: text('title'),
            description: text('description') || undefined,
            agendaItemId: text('agendaItemId') || undefined,
            majorityRule: text('majorityRule'),
            options,
            choiceMode: customOptions ? text('choiceMode') : undefined,
            ...(optionsMode === 'election' ? electionBody(data) : {}),
            secret: data.get('secret') === 'on',
            requiresQuorum: data.get('requiresQuorum') === 'on',
          })
          await redrawThenSay(container, refresh, t('motionCreated'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    textField({ name: 'title', label: t('motionTitle'), required: true }),
    textArea({ name: 'description', label: t('motionDescription') }),
    selectField({
      name: 'agendaItemId',
      label: t('agendaItem'),
      options: [
        { value: '', label: t('noAgendaItem') },
        ...agenda.map((item) => ({ value: item.id, label: `${item.position}. ${item.title}` })),
      ],
    }),
    presetField({ name: 'majorityRule', label: t('majorityRule'), presets: listPresets().majority }),
    h(
      'fieldset',
      null,
      h('legend', null, t('optionsMode')),
      (['yesno', 'custom', 'election'] as const).map((mode) =>
        h(
          'label',
          { class: 'choice', for: `options-${mode}` },
          h('input', {
            id: `options-${mode}`,
            type: 'radio',
            name: 'optionsMode',
            checked: mode === optionsMode,
            onchange: () => {
              optionsMode = mode
              drawOptionsArea()
            },
          }),
          t(mode === 'custom' ? 'optionsCustom' : mode === 'election' ? 'optionsElection' : 'optionsYesNo'),
        ),
      ),
      optionsArea,
    ),
    checkboxField({ name: 'secret', label: t('secret') }),
    checkboxField({ name: 'requiresQuorum', label: t('requiresQuorum'), checked: true }),
    h('button', { type: 'submit', class: 'primary' }, t('createMotion')),
  )

  replace(
    container,
    h('div', { class: 'notices' }, notices.element),
    section(
      `motions-title`,
      t('motionsTitle'),
      motions.length === 0 ? h('p', null, t('motionsEmpty')) : h('ul', { class: 'plain-list' }, items),
    ),
    assembly.status === 'closed' || assembly.status === 'cancelled'
      ? null
      : section('new-motion-title', t('newMotion'), form),
  )

  return {
    onLive(live) {
      for (const motion of live) {
        const element = document.getElementById(`admin-progress-${motion.id}`)
        if (element && motion.status === 'open') {
          element.textContent = t('votedSoFar', {
            voted: formatInteger(motion.voted.units),
            eligible: formatInteger(motion.eligible.units),
          })
        }
      }
    },
  }
}
