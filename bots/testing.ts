/** A fake clock: `sleep` advances it at once, so rate limits and backoffs run in no real time. */
export function createFakeClock(start = Date.UTC(2026, 2, 14, 14, 0, 0)) {
  let now = start
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    },
    advance: (ms: number) => {
      now += ms
    },
  }
}
