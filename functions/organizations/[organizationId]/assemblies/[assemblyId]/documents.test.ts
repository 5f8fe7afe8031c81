import { beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type PersonUser, pdfBytes, phForTests } from '../../_testing.ts'
import { MAX_ASSEMBLY_DOCUMENT_BYTES } from './documents/_schemas.ts'

/* Documents of an assembly: the administrator attaches them, owners read them, other PHs cannot. */

setDefaultTimeout(30_000)

const { t, ph } = phForTests({ BODY_LIMIT_BYTES: String(12 * 1024 * 1024) }, (app) => app.createRosterPh())
let owner: PersonUser

beforeAll(async () => {
  owner = await t.signInAs(ph.owners['102']!)
})

function upload(path: string, fields: Record<string, string>, file: File, user = ph.admin) {
  const body = new FormData()
  for (const [key, value] of Object.entries(fields)) body.set(key, value)
  body.set('file', file)
  return t.sendRaw('POST', path, body, {}, user)
}

describe('assembly documents', () => {
  it('attaches a PDF to an agenda item; an owner lists and downloads it', async () => {
    const assemblyId = await t.createAssembly(ph)
    const path = (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`)
    const item = await t.send('POST', path('/agenda'), { title: 'Presupuesto 2027' }, ph.admin)
    expect(item.status).toBe(200)
    const itemId: string = item.body.items.at(-1).id
    const bytes = pdfBytes('presupuesto')
    const res = await upload(
      path('/documents'),
      { title: 'Presupuesto 2027', agendaItemId: itemId },
      new File([bytes], 'presupuesto 2027.pdf'),
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      title: 'Presupuesto 2027',
      agendaItemId: itemId,
      contentType: 'application/pdf',
      sizeBytes: bytes.byteLength,
      fileName: 'presupuesto 2027.pdf',
    })
    const list = await t.send('GET', path('/documents'), undefined, owner)
    expect(list.body.documents).toEqual([expect.objectContaining({ id: res.body.id })])
    const download = await t.download(path(`/documents/${res.body.id}`), owner)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)
  })

  it('refuses other types, oversized files, a missing title and a foreign agenda item, storing nothing', async () => {
    const assemblyId = await t.createAssembly(ph)
    const path = (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`)
    const text = await upload(path('/documents'), { title: 'Notas' }, new File(['hola'], 'notas.pdf'))
    expect(text.status).toBe(415)
    const big = new Uint8Array(MAX_ASSEMBLY_DOCUMENT_BYTES + 1)
    big.set(pdfBytes())
    expect((await upload(path('/documents'), { title: 'Grande' }, new File([big], 'g.pdf'))).status).toBe(413)
    const untitled = await upload(path('/documents'), { title: '   ' }, new File([pdfBytes()], 'a.pdf'))
    expect(untitled.status).toBe(422)
    expect(untitled.body.error.details[0].field).toBe('title')
    const foreign = await upload(
      path('/documents'),
      { title: 'Cotización', agendaItemId: crypto.randomUUID() },
      new File([pdfBytes()], 'c.pdf'),
    )
    expect(foreign.status).toBe(422)
    expect(foreign.body.error.details[0].field).toBe('agendaItemId')
    expect((await t.send('GET', path('/documents'), undefined, ph.admin)).body.documents).toEqual([])
  })

  it('lets only the administrator attach or remove, and hides documents from other PHs', async () => {
    const assemblyId = await t.createAssembly(ph)
    const path = (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`)
    const byOwner = await upload(path('/documents'), { title: 'X' }, new File([pdfBytes()], 'x.pdf'), owner)
    expect(byOwner.status).toBe(403)
    const created = await upload(
      path('/documents'),
      { title: 'Estados financieros' },
      new File([pdfBytes()], 'e.pdf'),
    )
    const other = await t.createRosterPh()
    const otherAssembly = await t.createAssembly(other)
    const stranger = await t.download(
      other.path(`/assemblies/${otherAssembly}/documents/${created.body.id}`),
      other.admin,
    )
    expect(stranger.status).toBe(404)
    const outsider = await t.download(path(`/documents/${created.body.id}`), other.admin)
    expect(outsider.status).toBe(404)
    expect((await t.send('DELETE', path(`/documents/${created.body.id}`), undefined, owner)).status).toBe(403)
    expect((await t.send('DELETE', path(`/documents/${created.body.id}`), undefined, ph.admin)).status).toBe(
      200,
    )
    expect((await t.download(path(`/documents/${created.body.id}`), ph.admin)).status).toBe(404)
  })
})
