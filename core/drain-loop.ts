/**
 * Runs `drain` every `intervalMs` (and once at once) until stopped: each run calls it again while it
 * reports work done, never two runs at a time; an error is handed to `onError` and the loop goes on.
 * For the schedulers that send what has fallen due (notice reminders, the art. 71 summary).
 */
export function startDrainLoop(
  drain: () => Promise<number>,
  onError: (error: unknown) => void,
  intervalMs: number,
): { stop(): void } {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      while ((await drain()) > 0) {}
    } catch (error) {
      onError(error)
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), intervalMs)
  void tick()
  return { stop: () => clearInterval(timer) }
}
