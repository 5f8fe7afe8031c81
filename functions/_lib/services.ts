import { Elysia } from 'elysia'
import type { Services } from '../../core/services.ts'

/**
 * A typed slot for the services: route files `.use(services)` to see `services` in their handlers;
 * the app decorates the real value before mounting any route (see createApp).
 */
export const services = new Elysia({ name: 'services' }).decorate('services', null as unknown as Services)
