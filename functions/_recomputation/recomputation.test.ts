import { afterAll, beforeAll, expect, it, setDefaultTimeout } from 'bun:test'
import { step } from '../../core/story-testing.ts'
import { createPhTestApp, type TestPh } from '../organizations/[organizationId]/_testing.ts'
import { expectFigures, type Figure, readCsv } from './figures.ts'
import {
  createMeeting,
  OWNERS_IN_PERSON,
  OWNERS_REMOTE,
  PEDRO_UNITS,
  QUORUM_RULE,
  RULES,
  roster,
  type TestApp,
  unitOf,
  units,
} from './meeting.ts'
import { coefficient1, type ModelUnit, nine } from './model.ts'
import { ARREARS, rosterCsv } from './roster.ts'

/*
 * The recomputation of a whole assembly: a PH of 60 units built through the HTTP API, a meeting with
 * co-owners, an owner of two units, units in arrears (voice but no vote, the PH's default), proxies
 * (one holder of three units, a directed one), check-ins in person and remote, absences and a
 * departure, five motions on different rules with re-votes and refusals. Every figure the API reports
 * (quorum on its three bases, results, the acta, the CSV exports) is compared with the test's own
 * model (./model.ts), which counts in integers and never calls the product's rules.
 * Runs on PGlite, or on PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
 */

setDefaultTimeout(30_000)

let t: TestApp
let ph: TestPh
beforeAll(async () => {
  t = await createPhTestApp()
  ph = await t.createPh()
}, 60_000)
afterAll(() => t.services.close(), 60_000)

it('recomputes a whole assembly from its own model', async () => {
  const m = createMeeting(t, ph)
  const { state, unitIds, present, checkIns, motionIds, representative, assembly, get } = m
  const { voterFor, checkInOverHttp: checkIn, vote, byOwner, checkQuorum, runMotion } = m
  await step('imports 60 units whose 7-decimal coefficients sum to exactly 100', async () => {
    expect(roster.reduce((sum, unit) => sum + unit.coefficient, 0n)).toBe(1_000_000_000n)
    const res = await t.sendRaw(
      'POST',
      ph.path('/units/import'),
      rosterCsv(roster),
      { 'content-type': 'text/csv' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ applied: true, after: { units: 60, coefficient: '100.000000000' } })
    Object.assign(unitIds, await t.unitIds(ph))
    const listed = await get(ph.path('/units?limit=1000'))
    const figures: Figure[] = listed.body.units.map((unit: { number: string; coefficient: string }) => [
      `coefficient ${unit.number}`,
      nine(unitOf.get(unit.number)!.coefficient),
      unit.coefficient,
    ])
    expectFigures('roster', figures)
    for (const unit of roster) {
      const owners = (await get(ph.path(`/units/${unitIds[unit.number]}/owners`))).body.owners
      representative[unit.number] = owners.find(
        (owner: { isRepresentative: boolean }) => owner.isRepresentative,
      ).personId
    }
    expect(representative.U10).toBe(representative.U11!)
  })

  await step('keeps the default for units in arrears: voice but no vote', async () => {
    expect((await get(ph.path(''))).body.arrearsVoting).toBe('voice_no_vote')
  })

  await step('convenes an assembly with five motions', async () => {
    const { assemblyBody } = await import('../organizations/[organizationId]/_testing.ts')
    const firstCallAt = new Date(Date.now() + 3 * 86_400_000)
    const created = await t.send(
      'POST',
      ph.path('/assemblies'),
      assemblyBody({
        firstCallAt: firstCallAt.toISOString(),
        secondCallAt: new Date(firstCallAt.getTime() + 3_600_000).toISOString(),
        quorumRule: QUORUM_RULE,
      }),
      ph.admin,
    )
    expect(created.status).toBe(200)
    state.assemblyId = created.body.id
    for (const [key, rule] of Object.entries(RULES)) {
      const res = await t.send(
        'POST',
        assembly('/motions'),
        { title: `Moción ${key}`, majorityRule: rule.body, secret: rule.secret ?? false },
        ph.admin,
      )
      expect(res.status).toBe(200)
      motionIds[key] = res.body.id
    }
    await t.send('POST', assembly('/agenda'), { title: 'Votaciones' }, ph.admin)
    const convened = await t.send(
      'POST',
      assembly('/transition'),
      { to: 'convened', windowOverrideReason: 'Recomputation test' },
      ph.admin,
    )
    expect(convened.status).toBe(200)
  })

  await step(
    'registers proxies: one holder for three units, and a directed one filed by the owner',
    async () => {
      const first = await t.send(
        'POST',
        assembly('/proxies'),
        { grantorUnitId: unitIds.U20, holder: { fullName: 'Pedro Apoderado', email: 'pedro@example.com' } },
        ph.staff,
      )
      expect(first.status).toBe(200)
      state.pedro = first.body.holderPersonId
      for (const unit of ['U21', 'U22']) {
        const res = await t.send(
          'POST',
          assembly('/proxies'),
          { grantorUnitId: unitIds[unit], holderPersonId: state.pedro },
          ph.staff,
        )
        expect(res.status).toBe(200)
      }
      const owner30 = await voterFor(representative.U30!)
      const directed = await t.send(
        'POST',
        assembly('/my-proxies'),
        {
          grantorUnitId: unitIds.U30,
          holder: { fullName: 'Dora Dirigida', email: 'dora@example.com' },
          instructions: { [motionIds.absolute!]: 'no' },
        },
        owner30,
      )
      expect(directed.status).toBe(200)
      expect(directed.body.status).toBe('active')
      state.dora = directed.body.holderPersonId
    },
  )

  await step('starts the meeting and checks everyone in; absent units stay out', async () => {
    const started = await t.send(
      'POST',
      assembly('/transition'),
      { to: 'in_progress', earlyStartReason: 'Recomputation test' },
      ph.admin,
    )
    expect(started.status).toBe(200)
    for (const unit of OWNERS_IN_PERSON)
      await checkIn(representative[unit]!, 'in_person', unit === 'U10' ? ['U10', 'U11'] : [unit], 'owner')
    for (const unit of OWNERS_REMOTE) await checkIn(representative[unit]!, 'remote', [unit], 'owner')
    await checkIn(state.pedro, 'in_person', PEDRO_UNITS, 'proxy')
    await checkIn(state.dora, 'remote', ['U30'], 'proxy')
    const q = await checkQuorum('after check-in')
    // Units in arrears attend (U05, U22 by proxy, U37) but do not count for the quorum.
    expect(present.has('U22') && present.has('U05') && present.has('U37')).toBe(true)
    const attendingInArrears = ARREARS.filter((unit) => present.has(unit)).length
    expect(q.inPerson.units + q.remote.units).toBe(q.byUnits.present + attendingInArrears)
    const inPersonUnits = checkIns.filter((row) => row.mode === 'in_person')
    expectFigures('attendance by mode', [
      ['inPerson.units', inPersonUnits.length, q.inPerson.units],
      [
        'inPerson.coefficient',
        nine(inPersonUnits.reduce((s, row) => s + unitOf.get(row.unit)!.coefficient, 0n)),
        q.inPerson.coefficient,
      ],
    ])
  })

  const eligiblePresent = () => [...present].filter((unit) => unitOf.get(unit)!.upToDate).sort()

  let simpleVotes = new Map<string, string>()
  await step('motion 1, simple majority of the votes cast: re-votes and refusals', async () => {
    ;({ votes: simpleVotes } = await runMotion('simple', async (votes) => {
      await byOwner('simple', votes, 'yes', units('U01-U04', 'U06', 'U07', 'U09', 'U12'))
      await byOwner('simple', votes, 'no', units('U14', 'U16-U19'))
      await byOwner('simple', votes, 'abstain', units('U24', 'U25'))
      // Olga votes both of her units in one request, with different choices.
      expect(
        (
          await vote(
            'simple',
            representative.U10!,
            [
              ['U10', 'yes'],
              ['U11', 'no'],
            ],
            votes,
          )
        ).status,
      ).toBe(200)
      // Re-votes: the last one counts.
      expect((await vote('simple', representative.U03!, [['U03', 'no']], votes)).status).toBe(200)
      expect((await vote('simple', representative.U14!, [['U14', 'yes']], votes)).status).toBe(200)
      // A ballot for a unit in arrears refuses the holder's whole request; without it, it passes.
      const refused = await vote(
        'simple',
        state.pedro,
        [
          ['U20', 'no'],
          ['U21', 'no'],
          ['U22', 'yes'],
        ],
        votes,
      )
      expect(refused.status).toBeGreaterThanOrEqual(400)
      expect(refused.status).toBeLessThan(500)
      expect(refused.body.error.details.rejected.map((r: { unitId: string }) => r.unitId)).toEqual([
        unitIds.U22,
      ])
      expect(votes.has('U20')).toBe(false)
      expect(
        (
          await vote(
            'simple',
            state.pedro,
            [
              ['U20', 'no'],
              ['U21', 'no'],
            ],
            votes,
          )
        ).status,
      ).toBe(200)
      // The owner of an absent unit and the present owner in arrears are refused too.
      for (const unit of ['U08', 'U05']) {
        const res = await vote('simple', representative[unit]!, [[unit, 'yes']], votes)
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
      }
    }))
    expect(simpleVotes.get('U03')).toBe('no')
    expect(simpleVotes.get('U14')).toBe('yes')
  })

  await step('the named votes export lists every counted vote with its weight and last choice', async () => {
    const res = await t.download(ph.path(`/motions/${motionIds.simple}/exports/votes?lang=en`), ph.admin)
    const rows = readCsv(await res.text(), {
      Unit: 'unit',
      'Coefficient (%)': 'weight',
      Keys: 'options',
      'Voted as': 'voted_as',
    })
    const figures: Figure[] = rows.flatMap((row) => [
      [`${row.unit} weight`, nine(unitOf.get(row.unit!)!.coefficient), row.weight],
      // Re-votes: the last choice is the one stored (U03 changed to no, U14 to yes).
      [`${row.unit} options`, simpleVotes.get(row.unit!), row.options],
      [`${row.unit} voted_as`, PEDRO_UNITS.includes(row.unit!) ? 'proxy' : 'owner', row.voted_as],
    ])
    expect(rows.map((row) => row.unit).sort()).toEqual(
      units('U01-U04', 'U06', 'U07', 'U09-U12', 'U14', 'U16-U21', 'U24', 'U25'),
    )
    expectFigures('votes export', figures)
  })

  await step('a departure lowers the quorum', async () => {
    const res = await t.send('POST', assembly('/attendance/check-out'), { unitIds: [unitIds.U07] }, ph.staff)
    expect(res.status).toBe(200)
    present.delete('U07')
    for (const row of checkIns) if (row.unit === 'U07') row.left = true
    await checkQuorum('after a departure')
  })

  await step('motion 2, absolute majority of the coefficient present: the directed proxy binds', async () => {
    await runMotion('absolute', async (votes) => {
      const free = await vote('absolute', state.dora, [['U30', 'yes']], votes)
      expect(free.status).toBe(403)
      expect(free.body.error.details.rejected[0].code).toBe('proxy_directed')
      expect((await vote('absolute', state.dora, [['U30', 'no']], votes)).status).toBe(200)
      await byOwner('absolute', votes, 'yes', units('U40-U48', 'U24-U29', 'U01', 'U02'))
      await byOwner('absolute', votes, 'no', units('U31', 'U32'))
      await byOwner('absolute', votes, 'abstain', units('U34'))
    })
  })

  await step('motion 3, Ley 284 art. 35: 51 % of all up-to-date units', async () => {
    const list = eligiblePresent().filter(
      (unit) => !PEDRO_UNITS.includes(unit) && unit !== 'U30' && unit !== 'U11',
    )
    await runMotion('art35', async (votes) => {
      await byOwner('art35', votes, 'yes', list.slice(0, 29))
      await byOwner('art35', votes, 'no', list.slice(29, 33))
    })
  })

  await step('motion 4, 66 % of the coefficient of all up-to-date units', async () => {
    const list = eligiblePresent().filter(
      (unit) => !PEDRO_UNITS.includes(unit) && unit !== 'U30' && unit !== 'U11',
    )
    await runMotion('qualified66', async (votes) => {
      await byOwner('qualified66', votes, 'yes', list.slice(0, list.length - 3))
      await byOwner('qualified66', votes, 'no', list.slice(list.length - 3))
    })
  })

  await step('motion 5, secret: exact for auditors, rounded to 0.1 % for everyone else', async () => {
    const { expected } = await runMotion('secret', async (votes) => {
      await byOwner('secret', votes, 'yes', units('U40-U48', 'U01', 'U02', 'U03'))
      await byOwner('secret', votes, 'no', units('U24-U29', 'U31', 'U32'))
      await byOwner('secret', votes, 'abstain', units('U34', 'U35', 'U36', 'U50'))
    })
    const shown = await get(ph.path(`/motions/${motionIds.secret}/result`), ph.admin)
    expect(shown.body.protected).toBe(true)
    const tally = shown.body.totals.tally
    const figures: Figure[] = []
    for (const [name, row] of [
      ...['yes', 'no', 'abstain'].map((key) => [key, expected.options[key]!] as const),
      ['cast', expected.cast] as const,
      ['present', expected.present] as const,
      ['eligible', expected.eligible] as const,
    ]) {
      const api =
        name in expected.options ? tally.options.find((o: { key: string }) => o.key === name) : tally[name]
      figures.push([`${name}.units`, row.all.units, api.units])
      figures.push([`${name}.coefficient`, coefficient1(row.all.coefficient), api.coefficient])
    }
    // The published percent is the exact one (4 decimals) rounded again to one decimal.
    const percent = expected.percent
    figures.push([
      'majority.percent',
      coefficient1(BigInt(percent.replace('.', '')) * 1000n),
      shown.body.totals.majority.percent,
    ])
    figures.push([
      'majority.numerator',
      coefficient1(expected.numerator),
      shown.body.totals.majority.numerator,
    ])
    expectFigures('secret motion as published', figures)
    expect(shown.body.electorate.every((unit: { voted: boolean | null }) => unit.voted === null)).toBe(true)
    const csv = readCsv(
      await (
        await t.download(ph.path(`/motions/${motionIds.secret}/exports/votes?lang=en`), ph.admin)
      ).text(),
      { Record: 'record', Key: 'key', Units: 'units', 'Coefficient (%)': 'coefficient' },
    )
    const total = (key: string) => csv.find((row) => row.key === key)
    expectFigures('secret votes export', [
      ['yes', coefficient1(expected.options.yes!.all.coefficient), total('yes')?.coefficient],
      ['cast units', String(expected.cast.all.units), total('cast')?.units],
      ['receipts', expected.cast.all.units, csv.filter((row) => row.record === 'receipt').length],
    ])
  })

  await step('the assembly results list every motion with the same figures', async () => {
    const res = await get(assembly('/results'))
    const listed = new Map(res.body.motions.map((row: { motionId: string }) => [row.motionId, row]))
    expectFigures(
      'assembly results',
      Object.entries(m.expectedByMotion).flatMap(([key, expected]): Figure[] => {
        // biome-ignore lint/suspicious/noExplicitAny: the listed motion's JSON, read figure by figure
        const row = listed.get(motionIds[key]!) as any
        const secret = RULES[key]!.secret === true
        return [
          [`${key} status`, 'closed', row?.status],
          [`${key} outcome`, expected.outcome, row?.result?.outcome],
          [`${key} cast units`, expected.cast.all.units, row?.result?.totals.tally.cast.units],
          [
            `${key} percent`,
            secret ? coefficient1(BigInt(expected.percent.replace('.', '')) * 1000n) : expected.percent,
            row?.result?.totals.majority.percent,
          ],
        ]
      }),
    )
    expect(Object.keys(m.expectedByMotion)).toEqual(Object.keys(RULES))
  })

  await step('the attendance export and the acta report the denominators apart', async () => {
    const csv = readCsv(await (await t.download(assembly('/exports/attendance?lang=en'), ph.admin)).text(), {
      Unit: 'unit',
      Capacity: 'capacity',
      'Checked out': 'checked_out_at',
    })
    const left = csv.filter((row) => row.checked_out_at !== '').map((row) => row.unit)
    const proxies = csv
      .filter((row) => row.capacity === 'proxy')
      .map((row) => row.unit)
      .sort()
    expectFigures('attendance export', [
      ['records', checkIns.length, csv.length],
      ['checked out', ['U07'], left],
      ['by proxy', [...PEDRO_UNITS, 'U30'].sort(), proxies],
    ])
    const html = (await get(assembly('/acta?language=en'))).text
    const field = (label: string) =>
      new RegExp(`<dt>${label.replace(/[()]/g, '\\$&')}</dt><dd>([^<]*)</dd>`).exec(html)?.[1]
    const attended = new Set(checkIns.map((row) => row.unit))
    const heads = new Set(roster.map((unit: ModelUnit) => unit.owners))
    const headsAttended = new Set(
      roster.filter((unit) => attended.has(unit.number)).map((unit) => unit.owners),
    )
    expectFigures('acta (art. 71.5)', [
      ['Units that attended', String(attended.size), field('Units that attended')],
      ['Total units', String(roster.length), field('Total units')],
      ['Units entitled to vote', String(roster.length - ARREARS.length), field('Units entitled to vote')],
      [
        'Owners who attended',
        `${headsAttended.size} / ${heads.size}`,
        field('Owners who attended (of all owners)'),
      ],
      [
        'Units present in person',
        String(checkIns.filter((r) => r.mode === 'in_person').length),
        field('Units present in person'),
      ],
    ])
  })
}, 300_000)
