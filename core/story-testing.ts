/*
 * Story tests: steps that build on each other (import, then convene, then check in...). They run in
 * order inside ONE test, so `bun test --randomize` can shuffle tests without breaking a story, and a
 * failing step still names itself.
 */

/** Runs one step of a story; a failure is reported with the step's name. */
export async function step(name: string, run: () => unknown): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (error instanceof Error) error.message = `step "${name}": ${error.message}`
    throw error
  }
}
