import { AppError } from '../../../../_lib/errors.ts'

/** Largest signed proxy accepted (the request must also fit BODY_LIMIT_BYTES). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

export interface DocumentType {
  contentType: string
  extension: string
}

// The stored file keeps no content type, so it is told by its first bytes; uploads must match them.
const SIGNATURES: ReadonlyArray<DocumentType & { magic: readonly number[] }> = [
  { contentType: 'application/pdf', extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { contentType: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
]

export const DOCUMENT_TYPES = SIGNATURES.map((signature) => signature.contentType)

/** The type of a document by its first bytes (PDF, JPEG or PNG), or null for anything else. */
export function documentTypeOf(bytes: Uint8Array): DocumentType | null {
  const match = SIGNATURES.find((signature) => signature.magic.every((byte, at) => bytes[at] === byte))
  return match ? { contentType: match.contentType, extension: match.extension } : null
}

/**
 * Reads an uploaded document: 413 over the size limit, 415 unless its content is a PDF, JPEG or PNG
 * agreeing with its declared type. Bun types a form part by its file name, so the content decides.
 * Given `field` (the form field of an assembly document), the errors call it a file and name the field.
 */
export async function readDocument(
  file: File,
  upload: { limit: number; field?: string } = { limit: MAX_DOCUMENT_BYTES },
): Promise<DocumentType & { bytes: Uint8Array }> {
  const { limit, field } = upload
  const noun = field ? 'file' : 'document'
  if (file.size > limit) {
    throw new AppError(
      413,
      'payload_too_large',
      `The ${noun} exceeds ${limit} bytes`,
      field ? { field, limit } : undefined,
    )
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const detected = documentTypeOf(bytes)
  const declared = file.type.split(';')[0]!.trim().toLowerCase()
  if (!detected || (declared !== '' && declared !== detected.contentType)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `The ${noun} must be one of ${DOCUMENT_TYPES.join(', ')}, and its content must match its type`,
      field ? { field, accepted: DOCUMENT_TYPES } : { accepted: DOCUMENT_TYPES },
    )
  }
  return { bytes, ...detected }
}

/** Answers with a stored document: its type, how the browser is to show it, and no type sniffing. */
export function documentDownload(
  set: { headers: Record<string, string | number> },
  document: { contentType: string; disposition: string; bytes: Uint8Array },
): Uint8Array {
  set.headers['content-type'] = document.contentType
  set.headers['content-disposition'] = document.disposition
  set.headers['x-content-type-options'] = 'nosniff'
  return document.bytes
}
