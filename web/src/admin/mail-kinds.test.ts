import { describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { Glob } from 'bun'
import { rosterMessages } from '../i18n/admin-roster.ts'
import { MAIL_KIND_KEYS, mailKindKey } from './mail-kinds.ts'

/*
 * The delivery log shows what kind of email each row was. Every kind the server logs (the `kind` given
 * to sendLogged/sendManyLogged in core) must read as words in both languages, never as its code
 * (`corrected_notice`, `notice_reminder`…).
 */

const ROOT = join(import.meta.dir, '..', '..', '..')

async function loggedKinds(): Promise<Set<string>> {
  const kinds = new Set<string>()
  for await (const file of new Glob('core/**/*.ts').scan(ROOT)) {
    if (file.endsWith('.test.ts')) continue
    const text = await Bun.file(join(ROOT, file)).text()
    // Communications (core/communications) log each email under the communication's kind.
    if (!/sendLogged|sendManyLogged|createCommunication/.test(text)) continue
    // `kind: 'x'` and `kind: cond ? 'x' : 'y'`.
    for (const match of text.matchAll(/\bkind: (?:[\w.]+ \? )?'([a-z_]+)'(?: : '([a-z_]+)')?/g))
      for (const kind of match.slice(1)) if (kind) kinds.add(kind)
  }
  return kinds
}

describe('the delivery log names every kind of email', () => {
  it('has words in Spanish and English for every kind core logs', async () => {
    const kinds = await loggedKinds()
    // The scan finds the kinds of the notice (first and corrected), invitations and reminders.
    for (const known of ['invitation', 'notice', 'corrected_notice', 'notice_reminder'])
      expect(kinds.has(known)).toBe(true)
    for (const kind of kinds) {
      expect(Object.hasOwn(MAIL_KIND_KEYS, kind)).toBe(true)
      const key = mailKindKey(kind)
      expect(rosterMessages.es[key]).not.toContain('_')
      expect(rosterMessages.en[key]).toBeTruthy()
    }
  })

  it('calls an unknown kind "other email", not its code', () => {
    expect(mailKindKey('some_new_kind')).toBe('mailKindOther')
    expect(mailKindKey('toString')).toBe('mailKindOther')
    expect(rosterMessages.es[mailKindKey('corrected_notice')]).toBe('Aviso corregido')
  })
})
