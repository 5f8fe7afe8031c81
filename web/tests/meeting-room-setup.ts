import { importUnits } from '../../core/ph/index.ts'
import { createTestOrganization, systemActor } from '../../core/ph/testing.ts'
import { createTestUser } from '../../core/services-testing.ts'
import { assemblyBody } from '../../functions/organizations/[organizationId]/_testing.ts'
import type { NginxStack } from './nginx-stack.ts'
import { mailedCodeAt } from './stack.ts'

/*
 * The room of web/tests/meeting-room.test.ts, built through the real services and the API behind
 * nginx: 40 units of 2.5 % (101–140), each with its own owner; 140 behind on fees; 137–139 give a
 * proxy to one non-owner (Rosa); an assembly in progress with one motion, not yet open.
 */

export type Api = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>

export const ROOM_UNITS = 40
export const unitNumber = (i: number) => String(100 + i)

export async function createRoom(stack: NginxStack, motionTitle: string) {
  const run = crypto.randomUUID().slice(0, 8)
  const emailOf = (number: string) => `p${number}-${run}@example.org`
  const holderEmail = `rosa-${run}@example.org`
  const staffEmail = `mesa-${run}@example.org`
  const organizationId = (await createTestOrganization(stack.services.db)).id
  const lines = Array.from({ length: ROOM_UNITS }, (_, k) => {
    const number = unitNumber(k + 1)
    return `${number};F-${number};2.5;Propietario ${number};${emailOf(number)};;${number === '140' ? 'no' : 'sí'}`
  })
  await importUnits(stack.services.db, {
    organizationId,
    csv: ['unidad;finca;coeficiente;propietario;email;telefono;al_dia', ...lines].join('\n'),
    actor: systemActor,
  })
  const admin = await createTestUser(stack.services, { roles: [{ organizationId, role: 'ph_admin' }] })
  const staff = await createTestUser(stack.services, {
    email: staffEmail,
    roles: [{ organizationId, role: 'checkin_staff' }],
  })
  const call =
    (headers: Record<string, string>): Api =>
    async (method, path, body) => {
      const response = await fetch(`${stack.ipOrigin}/api/organizations/${organizationId}${path}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`)
      return response.json() as Promise<Record<string, unknown>>
    }
  const adminApi = call(admin.headers)
  const staffApi = call(staff.headers)
  const assemblyId = (
    await adminApi('POST', '/assemblies', assemblyBody({ title: 'Asamblea ordinaria 2027' }))
  ).id as string
  await adminApi('POST', `/assemblies/${assemblyId}/agenda`, { title: 'Presupuesto 2027' })
  const unitOf: Record<string, string> = {}
  const personOf: Record<string, string> = {}
  for (let k = 1; k <= ROOM_UNITS; k++) {
    const number = unitNumber(k)
    const found = (await adminApi('GET', `/assemblies/${assemblyId}/attendance/search?q=${number}`)) as {
      matches: { number: string; unitId: string; owners: { personId: string }[] }[]
    }
    const match = found.matches.find((m) => m.number === number)!
    unitOf[number] = match.unitId
    personOf[number] = match.owners[0]!.personId
  }
  let holderPersonId = ''
  for (const number of ['137', '138', '139']) {
    const proxy = (await adminApi('POST', `/assemblies/${assemblyId}/proxies`, {
      grantorUnitId: unitOf[number],
      ...(holderPersonId
        ? { holderPersonId }
        : { holder: { fullName: 'Rosa Apoderada', email: holderEmail } }),
    })) as { holderPersonId: string }
    holderPersonId ||= proxy.holderPersonId
  }
  await adminApi('POST', `/assemblies/${assemblyId}/transition`, {
    to: 'convened',
    windowOverrideReason: 'Asamblea de prueba hoy',
  })
  await adminApi('POST', `/assemblies/${assemblyId}/transition`, { to: 'in_progress' })
  const motionId = (await adminApi('POST', `/assemblies/${assemblyId}/motions`, { title: motionTitle }))
    .id as string
  return {
    organizationId,
    assemblyId,
    motionId,
    unitOf,
    personOf,
    holderPersonId,
    emailOf,
    holderEmail,
    staffEmail,
    adminApi,
    staffApi,
  }
}

/** Signs one person in over HTTP as the sign-in page does: passkey options, a code, the code. */
export async function signInOverHttp(stack: NginxStack, email: string, refused: string[]): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.ipOrigin}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.origin },
      body: JSON.stringify(body),
    })
    if (response.status === 429) refused.push(`${path} ${email}`)
    if (!response.ok) throw new Error(`${path} → ${response.status} ${await response.text()}`)
    return response.json() as Promise<Record<string, string>>
  }
  await post('passkeys/authentication-options', {})
  const { attempt } = await post('otp/request', { email })
  const code = await mailedCodeAt(stack.ipOrigin, email)
  return (await post('otp/verify', { email, attempt, code })).token!
}

/**
 * Opens the live connection a vote page keeps (a ticket, then /ws through nginx, then subscribe) and
 * resolves once the assembly's snapshot arrives; `sockets` keeps it for the caller to close.
 */
export async function openVoteSocket(
  stack: NginxStack,
  token: string,
  assemblyId: string,
  sockets: WebSocket[],
): Promise<void> {
  const ticket = await fetch(`${stack.ipOrigin}/api/realtime/ticket`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  if (ticket.status !== 200) throw new Error(`ticket → ${ticket.status}`)
  const { url } = (await ticket.json()) as { url: string }
  // nginx listens on IPv4 loopback only.
  const socket = new WebSocket(url.replace('//localhost:', '//127.0.0.1:'))
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no snapshot within 15 s')), 15_000)
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type: string }
      if (message.type === 'hello') socket.send(JSON.stringify({ type: 'subscribe', assemblyId }))
      if (message.type === 'snapshot') {
        clearTimeout(timer)
        resolve()
      }
    })
    socket.addEventListener('close', (event) => {
      clearTimeout(timer)
      reject(new Error(`socket closed: ${event.code}`))
    })
  })
}
