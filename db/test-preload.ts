// bun test preload (see bunfig.toml): without DATABASE_URL, build the migrated PGlite template once,
// before any test file starts, so no beforeAll hook pays for compiling PostgreSQL to WASM.
import { warmTestDatabase } from './testing.ts'

await warmTestDatabase()
