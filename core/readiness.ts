import type { Bus } from './bus/types.ts'

export interface Readiness {
  ready: boolean
  database: boolean
  bus: boolean
}

const TIMEOUT_MS = 2000

async function within(check: Promise<boolean>): Promise<boolean> {
  let timer: Timer | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), TIMEOUT_MS)
  })
  try {
    return await Promise.race([check.catch(() => false), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Whether the process can serve: its database and its bus (Redis or in-process) answer in time. */
export async function checkReadiness(deps: {
  database: { ping(): Promise<boolean> }
  bus: Bus
}): Promise<Readiness> {
  const [database, bus] = await Promise.all([within(deps.database.ping()), within(deps.bus.ping())])
  return { ready: database && bus, database, bus }
}
