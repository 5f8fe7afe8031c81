import type { Bus } from './bus/types.ts'

/*
 * One counter per PH, bumped on every change to who may vote for which unit or who holds which role
 * (ownership, proxies, attendance, up-to-date flags, assembly status, memberships). Every per-process
 * cache of such facts (the vote path's, the auth cache's) compares it before trusting itself.
 */

/** The bus key of a PH's facts version (the vote queue checks it inside its atomic accept step). */
export const votingFactsVersionKey = (organizationId: string) => `votes:facts-version:${organizationId}`

/** Announces a change: every process reloads its cached facts of the PH on next use. */
export async function markVotingFactsChanged(bus: Bus, organizationId: string): Promise<void> {
  await bus.incr(votingFactsVersionKey(organizationId))
}

/** The PH's current facts version ('0' until the first change). */
export async function votingFactsVersion(bus: Bus, organizationId: string): Promise<string> {
  return (await bus.get(votingFactsVersionKey(organizationId))) ?? '0'
}
