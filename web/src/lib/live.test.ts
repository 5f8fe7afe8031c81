import { describe, expect, it } from 'bun:test'
import { type AssemblySnapshot, applyDelta, connectLive, type LiveStatus, type MotionView } from './live.ts'

const motion = (id: string, status: MotionView['status'], voted = 0): MotionView => ({
  id,
  title: `Motion ${id}`,
  status,
  secret: false,
  choiceMode: 'single',
  seats: null,
  options: [],
  counts: null,
  voted: { units: voted, coefficient: '0' },
  eligible: { units: 4, coefficient: '100' },
  result: null,
})

const snapshot: AssemblySnapshot = {
  assembly: {
    id: 'a',
    organizationId: 'o',
    organizationName: 'PH',
    title: 'A',
    status: 'in_progress',
    call: 'first',
    locale: 'es-PA',
    timeZone: 'America/Panama',
  },
  quorum: {
    reached: false,
    call: 'first',
    base: 'coefficient',
    ruleLabel: null,
    eligibleOnly: true,
    threshold: null,
    byCoefficient: { present: '0', total: '100', percent: '0' },
    byUnits: { present: 0, total: 4, percent: '0' },
    byOwners: { present: 0, total: 4, percent: '0' },
    allUnits: 4,
    unitsInArrears: 0,
    inPerson: 0,
    remote: 0,
  },
  motions: [motion('m1', 'open'), motion('m2', 'draft')],
}

const delta = (changes: object, removed?: string[]) =>
  ({ type: 'delta', topic: 'assembly:a', seq: 2, at: 0, changes, removed }) as Parameters<
    typeof applyDelta
  >[1]

describe('applyDelta', () => {
  it('replaces a changed motion in place and keeps the others', () => {
    const next = applyDelta(snapshot, delta({ motions: [motion('m1', 'open', 3)] }))
    expect(next.motions.map((m) => [m.id, m.voted.units])).toEqual([
      ['m1', 3],
      ['m2', 0],
    ])
  })

  it('appends a new motion and drops removed ones', () => {
    const next = applyDelta(snapshot, delta({ motions: [motion('m3', 'draft')] }, ['m2']))
    expect(next.motions.map((m) => m.id)).toEqual(['m1', 'm3'])
  })

  it('replaces the quorum and the assembly when they changed', () => {
    const quorum = { ...snapshot.quorum, reached: true }
    const assembly = { ...snapshot.assembly, status: 'suspended' }
    const next = applyDelta(snapshot, delta({ quorum, assembly }))
    expect(next.quorum.reached).toBe(true)
    expect(next.assembly.status).toBe('suspended')
  })

  it('leaves the previous snapshot untouched', () => {
    applyDelta(snapshot, delta({ motions: [motion('m1', 'closed')] }, ['m2']))
    expect(snapshot.motions.map((m) => m.status)).toEqual(['open', 'draft'])
  })
})

/** A socket the test drives: records what the client sends, delivers what the "server" says. */
class FakeSocket extends EventTarget {
  readyState = 0
  sent: Record<string, unknown>[] = []
  constructor(readonly url: string) {
    super()
    queueMicrotask(() => {
      this.readyState = 1
      this.dispatchEvent(new Event('open'))
    })
  }
  send(text: string) {
    this.sent.push(JSON.parse(text))
  }
  close() {
    this.readyState = 3
    this.dispatchEvent(new Event('close'))
  }
  receive(message: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }))
  }
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await Bun.sleep(5)
  expect(check()).toBe(true)
}

function connectFake() {
  const sockets: FakeSocket[] = []
  const snapshots: AssemblySnapshot[] = []
  const statuses: LiveStatus[] = []
  let tickets = 0
  const live = connectLive({
    assemblyId: 'a',
    url: async () => `ws://test/ws?ticket=${++tickets}`,
    onSnapshot: (next) => snapshots.push(next),
    onStatus: (status) => statuses.push(status),
    openSocket: (url) => {
      const socket = new FakeSocket(url)
      sockets.push(socket)
      return socket as unknown as WebSocket
    },
    retryMs: 10,
  })
  return { live, sockets, snapshots, statuses }
}

describe('connectLive', () => {
  it('subscribes after hello, applies numbered deltas and asks for a resync on a gap', async () => {
    const { live, sockets, snapshots } = connectFake()
    await until(() => sockets.length === 1 && sockets[0]!.readyState === 1)
    const socket = sockets[0]!
    socket.receive({ type: 'hello', readOnly: false, heartbeatSeconds: 25 })
    expect(socket.sent).toEqual([{ type: 'subscribe', assemblyId: 'a' }])
    socket.receive({ type: 'snapshot', topic: 'assembly:a', seq: 1, data: snapshot })
    socket.receive(delta({ motions: [motion('m1', 'open', 2)] }))
    expect(snapshots.at(-1)!.motions[0]!.voted.units).toBe(2)
    socket.receive({ ...delta({ motions: [motion('m1', 'open', 9)] }), seq: 4 })
    expect(snapshots.at(-1)!.motions[0]!.voted.units).toBe(2)
    expect(socket.sent.at(-1)).toEqual({ type: 'resync', assemblyId: 'a' })
    live.close()
  })

  it('reconnects with a fresh URL after the connection drops, and is live again on the new snapshot', async () => {
    const { live, sockets, snapshots, statuses } = connectFake()
    await until(() => sockets[0]?.readyState === 1)
    sockets[0]!.receive({ type: 'snapshot', topic: 'assembly:a', seq: 5, data: snapshot })
    sockets[0]!.close()
    expect(statuses.at(-1)).toBe('offline')
    await until(() => sockets.length === 2)
    expect(sockets[1]!.url).toBe('ws://test/ws?ticket=2')
    sockets[1]!.receive({ type: 'snapshot', topic: 'assembly:a', seq: 1, data: snapshot })
    expect(statuses.at(-1)).toBe('live')
    expect(snapshots).toHaveLength(2)
    live.close()
  })
})
