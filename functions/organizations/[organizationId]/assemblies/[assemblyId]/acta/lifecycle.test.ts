import { describe, expect, it } from 'bun:test'
import { motionPhForTests } from '../../../motions/_testing.ts'

const { t, ph } = motionPhForTests()

const acta = (rest: string) => ph.path(`/assemblies/${ph.assemblyId}/acta${rest}`)
const status = async () => (await t.send('GET', acta('/status'), undefined, ph.admin)).body

describe('the acta routes, from draft to final', () => {
  it('walks an assembly from close to a final acta, and then refuses edits with 409 acta_final', async () => {
    expect((await status()).status).toBeNull()
    const early = await t.send('POST', acta('/review'), undefined, ph.admin)
    expect([early.status, early.body.error.code]).toEqual([409, 'acta_not_frozen'])

    const added = await t.send(
      'POST',
      ph.path(`/assemblies/${ph.assemblyId}/agenda`),
      { title: 'Informe' },
      ph.admin,
    )
    expect(added.status).toBe(200)
    const itemId: string = added.body.items.at(-1).id
    const closed = await t.send(
      'POST',
      ph.path(`/assemblies/${ph.assemblyId}/transition`),
      { to: 'closed' },
      ph.admin,
    )
    expect(closed.status).toBe(200)
    const draft = await status()
    expect(draft).toMatchObject({ status: 'draft', signOffs: [], chain: null })

    // An owner may read the status but not review or sign.
    expect((await t.send('POST', acta('/review'), undefined, ph.owners['1A'])).status).toBe(403)
    const summary = await t.send('PUT', acta(`/summaries/${itemId}`), { notes: 'Se discutió.' }, ph.admin)
    expect(summary.status).toBe(200)
    const page = await t.send('GET', acta('?format=html'), undefined, ph.admin)
    expect(page.text).toContain('Se discutió.')
    expect(page.text).toContain('BORRADOR')
    const reviewed = await t.send('POST', acta('/review'), undefined, ph.admin)
    expect(reviewed.body.status).toBe('reviewed')
    const { hash } = reviewed.body
    const sign = (role: string, signerName: string) =>
      t.send('POST', acta('/sign-off'), { role, signerName, hash }, ph.admin)
    expect((await sign('president', 'Ana Pérez')).body.status).toBe('reviewed')
    const final = await sign('secretary', 'Luis Gómez')
    expect(final.status).toBe(200)
    expect(final.body).toMatchObject({
      status: 'final',
      hash,
      signOffs: [
        { role: 'president', signerName: 'Ana Pérez', hash, userId: ph.admin.userId },
        { role: 'secretary', signerName: 'Luis Gómez', hash, userId: ph.admin.userId },
      ],
      chain: { sequence: 1, previousHash: null },
    })
    const html = await t.send('GET', acta('?format=html'), undefined, ph.admin)
    expect(html.text).toContain('ACTA FINAL')
    expect(html.text).toContain('Firmada electrónicamente por Luis Gómez')

    const again = await t.send('POST', acta('/review'), undefined, ph.admin)
    expect([again.status, again.body.error.code]).toEqual([409, 'acta_final'])
  })

  it('names the field of a malformed sign-off', async () => {
    const res = await t.send(
      'POST',
      acta('/sign-off'),
      { role: 'treasurer', signerName: 'X', hash: 'x' },
      ph.admin,
    )
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body.error)).toContain('role')
  })
})
