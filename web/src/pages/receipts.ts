import type { PublicReceiptList, ReceiptCheck } from '../../../core/motions/schemas.ts'
import { common } from '../i18n/common.ts'
import { ApiError, get, seg } from '../lib/api.ts'
import { field, h, param, replace } from '../lib/dom.ts'
import { formatInteger } from '../lib/format.ts'
import { textField } from '../lib/forms.ts'
import { defineMessages, translator } from '../lib/i18n.ts'
import { errorBox, errorText, motionStatusText, okBox, startPage } from '../lib/layout.ts'

const messages = defineMessages(
  {
    title: 'Verificar un recibo de voto',
    intro:
      'Cada voto recibe un código. La lista pública muestra solo huellas (hash) de los recibos, nunca la unidad ni la opción.',
    code: 'Código del recibo',
    codeHint: 'Por ejemplo 7KQ2M-X9D4A',
    check: 'Verificar',
    found: 'Su recibo está en la lista pública: su voto está registrado.',
    counted: 'Y fue contado en el resultado final.',
    notCounted:
      'No forma parte del resultado final (fue reemplazado por un voto posterior o llegó después del cierre).',
    notFound:
      'Ese código no aparece en la lista. Si acaba de votar, espere unos segundos; si cambió su voto, use el código nuevo.',
    listTitle: 'Lista pública ({n} recibos)',
    listFinal: 'Lista definitiva, sellada en el resultado.',
    listLive: 'Lista en curso: la votación sigue {status}.',
    badCode: 'El código tiene entre 10 y 16 letras, números o guiones.',
    hash: 'Huella de su recibo:',
  },
  {
    title: 'Verify a vote receipt',
    intro:
      'Each vote gets a code. The public list shows only fingerprints (hashes) of receipts, never the unit or the choice.',
    code: 'Receipt code',
    codeHint: 'For example 7KQ2M-X9D4A',
    check: 'Verify',
    found: 'Your receipt is on the public list: your vote is recorded.',
    counted: 'And it was counted in the final result.',
    notCounted: 'It is not part of the final result (replaced by a later vote or sent after the close).',
    notFound:
      'That code is not on the list. If you just voted, wait a few seconds; if you changed your vote, use the new code.',
    listTitle: 'Public list ({n} receipts)',
    listFinal: 'Final list, sealed into the result.',
    listLive: 'Live list: voting is {status}.',
    badCode: 'The code has 10 to 16 letters, digits or dashes.',
    hash: 'Your receipt’s fingerprint:',
  },
)
const t = translator<keyof typeof messages.es>(common, messages)

const motionId = param('motion')
const state = {
  code: param('code') ?? '',
  verdict: null as HTMLElement | null,
  list: null as PublicReceiptList | null,
  hash: null as string | null,
}

const results = h('div')

startPage({
  title: () => t('title'),
  requires: ['motion'],
  draw: (main) => {
    replace(
      main,
      h('h1', null, t('title')),
      h('p', null, t('intro')),
      h(
        'form',
        { class: 'card', onsubmit: check },
        textField({
          name: 'code',
          label: t('code'),
          hint: t('codeHint'),
          value: state.code,
          props: { autocomplete: 'off' },
        }),
        h('button', { type: 'submit', class: 'primary' }, t('check')),
      ),
      results,
    )
    drawResults()
  },
})

/** Only the verdict and the list change when data arrives; the form stays as typed. */
function drawResults(): void {
  replace(results, state.verdict, state.list ? listView(state.list) : null)
}

function listView(list: PublicReceiptList): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'list-title' },
    h('h2', { id: 'list-title' }, t('listTitle', { n: formatInteger(list.receipts.length) })),
    h(
      'p',
      null,
      list.final ? t('listFinal') : t('listLive', { status: motionStatusText(list.status).toLowerCase() }),
    ),
    h(
      'ol',
      { class: 'mono' },
      list.receipts.map((hash) => h('li', null, hash === state.hash ? h('mark', null, hash) : hash)),
    ),
  )
}

async function check(event?: Event): Promise<void> {
  event?.preventDefault()
  if (event) state.code = field(event.target as HTMLFormElement, 'code')
  if (!motionId || !state.code) return
  if (!/^[0-9A-Za-z-]{10,16}$/.test(state.code)) {
    state.verdict = errorBox(t('badCode'))
    drawResults()
    return
  }
  try {
    const verdict = await get<ReceiptCheck>(`/public/motions/${seg(motionId)}/receipts/${seg(state.code)}`, {
      allowAnonymous: true,
    })
    state.hash = verdict.receiptHash
    state.verdict = verdict.found
      ? okBox(
          `${t('found')} ${verdict.countedInResult === true ? t('counted') : verdict.countedInResult === false ? t('notCounted') : ''}`,
        )
      : errorBox(t('notFound'))
  } catch (error) {
    state.verdict = errorBox(
      error instanceof ApiError && error.status === 422 ? t('badCode') : errorText(error),
    )
  }
  await loadList()
}

async function loadList(): Promise<void> {
  if (!motionId) return
  state.list = await get<PublicReceiptList>(`/public/motions/${seg(motionId)}/receipts`, {
    allowAnonymous: true,
  }).catch(() => state.list)
  drawResults()
}

if (state.code) void check()
else void loadList()
