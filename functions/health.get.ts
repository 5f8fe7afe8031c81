import { Elysia, t } from 'elysia'

/** Liveness: the process answers. Touches no dependency. */
export default new Elysia().get('', () => ({ status: 'ok' as const }), {
  response: t.Object({ status: t.Literal('ok') }),
  detail: { summary: 'Process alive', tags: ['operations'] },
})
