import { Elysia } from 'elysia'
import type { Bus } from '../../core/bus/index.ts'
import type { Config } from '../../core/config.ts'
import type { Logger } from '../../core/log.ts'
import type { Database, DatabaseHandle } from '../../db/client.ts'

/** What route handlers may use. Built once per process and passed explicitly to `createApp`. */
export interface Services {
  config: Config
  database: DatabaseHandle
  db: Database
  bus: Bus
  log: Logger
}

/**
 * A typed slot for the services: route files `.use(services)` to see `services` in their handlers;
 * the app decorates the real value before mounting any route (see createApp).
 */
export const services = new Elysia({ name: 'services' }).decorate('services', null as unknown as Services)
