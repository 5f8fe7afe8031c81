import { Elysia, t } from 'elysia'
import { registerProxy } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { CreatePersonBody, requireOneOf, Timestamp, Uuid } from '../../_schemas.ts'
import { assemblyDeps, documentStorage } from '../_deps.ts'
import { AssemblyParams, attendanceTags, ProxySchema, proxyView } from '../_schemas.ts'
import { MAX_DOCUMENT_BYTES, readDocument } from './_proxy-document.ts'

/** Registers a proxy (poder) of a unit for the assembly, with its signed document when uploaded. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    requireOneOf(body, 'holderPersonId', 'holder')
    const document = body.document ? await readDocument(body.document) : null
    const proxy = await registerProxy(
      s.db,
      {
        ...params,
        grantorUnitId: body.grantorUnitId,
        holder: body.holder ? { person: body.holder } : { personId: body.holderPersonId! },
        document,
        validFrom: body.validFrom ? new Date(body.validFrom) : null,
        validUntil: body.validUntil ? new Date(body.validUntil) : null,
        actor: { userId: user.id },
      },
      { ...assemblyDeps(s), storage: documentStorage(s) },
    )
    return proxyView(proxy)
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    body: t.Object(
      {
        grantorUnitId: Uuid,
        holderPersonId: t.Optional(Uuid),
        holder: t.Optional(CreatePersonBody),
        validFrom: t.Optional(t.Nullable(Timestamp)),
        validUntil: t.Optional(t.Nullable(Timestamp)),
        document: t.Optional(
          t.File({ description: `PDF, JPEG or PNG of at most ${MAX_DOCUMENT_BYTES} bytes` }),
        ),
      },
      { additionalProperties: false },
    ),
    response: {
      200: ProxySchema,
      404: ErrorResponse,
      409: ErrorResponse,
      413: ErrorResponse,
      415: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Register a proxy',
      description:
        'Send application/json, or multipart/form-data to attach the signed document in the ' +
        '`document` part: a PDF, JPEG or PNG of at most 5 MiB (and within BODY_LIMIT_BYTES), told by ' +
        'its content, which must agree with its declared type or file name; in a form, `holder` is a ' +
        'JSON text. The holder is an existing person (`holderPersonId`) or a new one (`holder`, matched ' +
        'to an existing person by email). ' +
        'Errors: 409 proxy_exists (the unit has an active proxy), 409 proxy_cap_reached ' +
        '(maxProxiesPerHolder), 409 unit_present, 409 assembly_closed, 422 holder_owns_unit, ' +
        '413 document too large, 415 document of another type.',
      tags: attendanceTags,
    },
  },
)
