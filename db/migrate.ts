import { join } from 'node:path'
import { loadConfigOrExit } from '../core/config.ts'
import { openDatabase } from './client.ts'

// Applies the committed migrations; running it again changes nothing.
const config = loadConfigOrExit()
const handle = await openDatabase({ url: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') })
await handle.migrate()
console.log(`Migrations applied (${handle.kind}).`)
await handle.close()
