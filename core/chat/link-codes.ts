import { and, eq, gt, isNull, lt, or } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { chatLinkCodes } from '../../db/schema/index.ts'
import { randomBytes, sha256Hex } from '../auth/crypto.ts'

/*
 * One-time link codes: a signed-in user asks the web for one and sends it to the bot (Telegram deep
 * link `/start CODE`, or "vincular CODE" on WhatsApp). 40 random bits, valid 10 minutes, single use,
 * stored hashed; tries are rate limited per chat, so guessing is hopeless.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const LINK_CODE_LENGTH = 8
export const LINK_CODE_TTL_MS = 10 * 60_000

/** Upper case without separators, Crockford look-alikes folded (I/L → 1, O → 0); null when not a code. */
export function normalizeLinkCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
  if (compact.length !== LINK_CODE_LENGTH) return null
  for (const char of compact) if (!ALPHABET.includes(char)) return null
  return compact
}

const hashOf = (normalized: string) => sha256Hex(`chat-link-code:${normalized}`)

export interface LinkCode {
  /** As shown to people: ABCD-1234. */
  code: string
  /** Without the dash, for deep links (t.me/<bot>?start=ABCD1234). */
  compact: string
  expiresAt: Date
}

/** A fresh code for the user; earlier unused codes of the user stop working. */
export async function createLinkCode(db: Database, userId: string, now = new Date()): Promise<LinkCode> {
  const compact = Array.from(randomBytes(LINK_CODE_LENGTH), (byte) => ALPHABET[byte & 31]).join('')
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS)
  await db.transaction(async (tx) => {
    await tx
      .delete(chatLinkCodes)
      .where(
        or(
          and(eq(chatLinkCodes.userId, userId), isNull(chatLinkCodes.consumedAt)),
          lt(chatLinkCodes.expiresAt, new Date(now.getTime() - 86_400_000)),
        ),
      )
    await tx.insert(chatLinkCodes).values({ userId, codeHash: hashOf(compact), expiresAt })
  })
  return { code: `${compact.slice(0, 4)}-${compact.slice(4)}`, compact, expiresAt }
}

/** Consumes a code atomically: the user it was issued to, or null (unknown, used or expired). */
export async function consumeLinkCode(db: Database, code: string, now = new Date()): Promise<string | null> {
  const normalized = normalizeLinkCode(code)
  if (!normalized) return null
  const [row] = await db
    .update(chatLinkCodes)
    .set({ consumedAt: now })
    .where(
      and(
        eq(chatLinkCodes.codeHash, hashOf(normalized)),
        isNull(chatLinkCodes.consumedAt),
        gt(chatLinkCodes.expiresAt, now),
      ),
    )
    .returning({ userId: chatLinkCodes.userId })
  return row?.userId ?? null
}
