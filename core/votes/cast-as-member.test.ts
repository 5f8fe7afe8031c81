import { describe, expect, it } from 'bun:test'
import { memberships, users } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { createAuthCache } from '../auth/auth-cache.ts'
import { createChangeNotifier } from '../changes/notifier.ts'
import { AppError } from '../errors.ts'
import { createMotion } from '../motions/motions.ts'
import { createScenario } from '../motions/testing.ts'
import { updatePerson } from '../ph/people.ts'
import { castAsMember } from './cast-as-member.ts'
import { openEqualUnits, votePathFixture } from './testing.ts'

const world = votePathFixture()
const system = { userId: null }

/** Two present units of equal weight (U1, U2), an open motion, and the change port. */
async function twoUnitsVoting() {
  const { scenario, motionId } = await openEqualUnits(world, 2)
  const changes = createChangeNotifier({ bus: world.bus })
  return { db: world.handle.db, scenario, organizationId: scenario.organizationId, motionId, changes }
}

/*
 * A vote taken on the membership this process holds, without reading its version first: the queue's
 * accept step checks that version, so a change of who the user is in the PH is never outvoted by the
 * cache.
 */
describe('castAsMember', () => {
  it('votes on the held membership, and not after the user stopped being the owner', async () => {
    const { db, scenario, organizationId, motionId, changes } = await twoUnitsVoting()
    const [bea] = await db.insert(users).values({ email: 'bea.cast@example.com' }).returning()
    // Her person record gets her address, which links it to her user (and announces the membership).
    const linkEmail = (email: string) =>
      updatePerson(
        db,
        { organizationId, personId: scenario.owner('U2'), changes: { email }, actor: system },
        { changes },
      )
    await linkEmail('bea.cast@example.com')

    const authCache = createAuthCache({ db, bus: world.bus })
    const deps = { votes: world.service, authCache, bus: world.bus }
    const cast = () =>
      castAsMember(deps, {
        organizationId,
        motionId: motionId,
        ballots: [{ unitId: scenario.unit('U2'), optionKeys: ['yes'] }],
        userId: bea!.id,
        channel: 'api',
      })

    const first = await cast()
    expect(first.votes.map((vote) => vote.unitNumber)).toEqual(['U2'])
    const held = await authCache.heldMembership(bea!.id, organizationId)
    expect(held.membership.personIds).toEqual([scenario.owner('U2')])

    // The person's address changes: the user is no longer Bea here. Only the membership moved.
    await linkEmail('bea.new@example.com')
    // What this process holds still says she is (nothing has read the version since).
    expect((await authCache.heldMembership(bea!.id, organizationId)).membership.personIds).toEqual([
      scenario.owner('U2'),
    ])
    const refused = await cast().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect([(refused as AppError).status, (refused as AppError).code]).toEqual([403, 'voter_unknown'])
    // Nothing of hers was appended after the first ballot.
    const latest = await world.service.latestBallots(motionId)
    expect(latest.map((ballot) => ballot.unitId)).toEqual([scenario.unit('U2')])

    // Control: the same held membership, cast without the version check, would have been accepted.
    const unchecked = await world.service.cast({
      organizationId,
      motionId: motionId,
      ballots: [{ unitId: scenario.unit('U2'), optionKeys: ['no'] }],
      actor: { userId: bea!.id, personId: held.membership.personIds[0]! },
      channel: 'api',
    })
    expect(unchecked.votes).toHaveLength(1)
  })

  it('confirms a refusal decided on a held membership: a person just linked to the user votes at once', async () => {
    const { db, scenario, organizationId, motionId, changes } = await twoUnitsVoting()
    // A member of staff with no person record yet: held as a member who cannot vote.
    const [user] = await db.insert(users).values({ email: 'ana.cast@example.com' }).returning()
    await withTenant(db, organizationId, (tx) =>
      tx.insert(memberships).values({ organizationId, userId: user!.id, role: 'checkin_staff' }),
    )
    const authCache = createAuthCache({ db, bus: world.bus })
    expect((await authCache.heldMembership(user!.id, organizationId)).membership.personIds).toEqual([])
    // Then Ana's record gets her address: she is the owner of unit 1 (only the membership moved).
    await updatePerson(
      db,
      {
        organizationId,
        personId: scenario.owner('U1'),
        changes: { email: 'ana.cast@example.com' },
        actor: system,
      },
      { changes },
    )
    const accepted = await castAsMember(
      { votes: world.service, authCache, bus: world.bus },
      {
        organizationId,
        motionId: motionId,
        ballots: [{ unitId: scenario.unit('U1'), optionKeys: ['yes'] }],
        userId: user!.id,
        channel: 'api',
      },
    )
    expect(accepted.votes.map((vote) => [vote.unitNumber, vote.role])).toEqual([['U1', 'owner']])
    expect((await world.service.latestBallots(motionId)).map((ballot) => ballot.unitId)).toEqual([
      scenario.unit('U1'),
    ])
  })
})
