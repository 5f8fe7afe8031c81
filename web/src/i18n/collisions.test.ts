import { describe, expect, it } from 'bun:test'
import type { Messages } from '../lib/i18n.ts'
import { actaMessages } from './admin-acta.ts'
import { adminTables } from './admin-tables.ts'
import { common } from './common.ts'
import { deskBallotMessages } from './desk-ballot.ts'
import { deskCodeMessages } from './desk-code.ts'
import { handCountMessages } from './hand-count.ts'
import { screenMessages } from './screen.ts'
import { voteMessages } from './vote.ts'

/*
 * A translator reads several tables and the last one that has a key wins: the same key in two tables
 * of one translator silently replaces a text on some other page (the roster's "no units yet" once read
 * "no unit in this filter" from the communications page). Each translator's tables share no key.
 */

const translators: [string, readonly Messages<string>[]][] = [
  ['admin console', adminTables],
  ['acta card', [common, actaMessages]],
  ['vote page', [common, voteMessages]],
  ['desk hand count', [common, handCountMessages]],
  ['desk ballot', [common, deskBallotMessages]],
  ['desk sign-in code', [common, deskCodeMessages]],
  ['projector', [common, screenMessages]],
]

describe('translator tables', () => {
  it.each(translators)('of the %s share no key', (_name, tables) => {
    const seen = new Map<string, number>()
    const shared: string[] = []
    tables.forEach((table, index) => {
      for (const key of Object.keys(table.es)) {
        if (seen.has(key)) shared.push(`${key} (tables ${seen.get(key)} and ${index})`)
        else seen.set(key, index)
      }
    })
    expect(shared).toEqual([])
  })
})
