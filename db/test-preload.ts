// bun test preload (see bunfig.toml): without DATABASE_URL, build the migrated PGlite template once,
// before any test file starts, so no beforeAll hook pays for compiling PostgreSQL to WASM.
import { setDefaultTimeout } from 'bun:test'
import { warmTestDatabase } from './testing.ts'

// bunfig's [test] timeout does not reach hooks in Bun 1.4; database set-up can take seconds under load.
setDefaultTimeout(30_000)

await warmTestDatabase()
