/**
 * The image's HEALTHCHECK: GET /api/health on this container's process, exit 0 when it answers 200.
 * Port from the first argument, else HEALTH_PORT (set per service in docker-compose.yml), else 3000.
 */
const port = Number(process.argv[2] ?? process.env.HEALTH_PORT ?? 3000)
const path = process.env.HEALTH_PATH ?? '/api/health'

try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) })
  if (!response.ok) {
    console.error(`health: ${path} answered ${response.status}`)
    process.exit(1)
  }
} catch (error) {
  console.error(`health: ${path} on port ${port} did not answer: ${(error as Error).message}`)
  process.exit(1)
}

export {}
