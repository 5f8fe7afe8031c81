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

/**
 * A story whose steps are declared one by one (each with its own name and body, at the top level of a
 * file) and then run in that order by one test: `const story = createStory()`, `story.step(…)` for each,
 * and `it('…', () => story.run())`.
 */
export function createStory() {
  const steps: [string, () => unknown][] = []
  return {
    /** Declares the next step; the timeout, if given, is the story test's to set. */
    step(name: string, run: () => unknown, _timeoutMs?: number): void {
      steps.push([name, run])
    },
    async run(): Promise<void> {
      for (const [name, run] of steps) await step(name, run)
    },
  }
}
