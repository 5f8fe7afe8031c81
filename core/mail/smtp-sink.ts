import type { Socket, TCPSocketListener } from 'bun'

/** A message the sink accepted: the envelope and the raw RFC 5322 text. */
export interface SunkMessage {
  from: string
  to: string[]
  raw: string
}

interface Session {
  buffer: string
  inData: boolean
  from: string
  to: string[]
  data: string[]
}

/**
 * A tiny real SMTP server for tests (plain SMTP on 127.0.0.1, no TLS, no auth): it speaks enough of
 * RFC 5321 for nodemailer (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps what it accepts.
 * `refuseNext(n, code)` answers the next n messages with a 4xx (transient) or 5xx (permanent) reply.
 */
export function startSmtpSink() {
  const messages: SunkMessage[] = []
  let refusals: Array<{ code: number }> = []
  const waiters: Array<{ ready: () => boolean; resolve: () => void }> = []
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (waiter.ready()) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  const until = (ready: () => boolean): Promise<void> =>
    ready() ? Promise.resolve() : new Promise((resolve) => waiters.push({ ready, resolve }))
  const reply = (socket: Socket<Session>, text: string) => socket.write(`${text}\r\n`)
  const command = (socket: Socket<Session>, line: string) => {
    const session = socket.data
    const verb = line.slice(0, 4).toUpperCase()
    if (verb === 'EHLO' || verb === 'HELO') return reply(socket, '250-sink\r\n250 8BITMIME')
    if (verb === 'MAIL') {
      session.from =
        line
          .replace(/^MAIL FROM:\s*/i, '')
          .replace(/[<>]/g, '')
          .split(' ')[0] ?? ''
      session.to = []
      return reply(socket, '250 OK')
    }
    if (verb === 'RCPT') {
      session.to.push(
        line
          .replace(/^RCPT TO:\s*/i, '')
          .replace(/[<>]/g, '')
          .split(' ')[0] ?? '',
      )
      return reply(socket, '250 OK')
    }
    if (verb === 'DATA') {
      session.inData = true
      session.data = []
      return reply(socket, '354 End data with <CR><LF>.<CR><LF>')
    }
    if (verb === 'RSET' || verb === 'NOOP') return reply(socket, '250 OK')
    if (verb === 'QUIT') {
      reply(socket, '221 Bye')
      return socket.end()
    }
    return reply(socket, '502 Command not implemented')
  }
  const endOfData = (socket: Socket<Session>) => {
    const session = socket.data
    session.inData = false
    const refusal = refusals.shift()
    if (refusal)
      return reply(
        socket,
        `${refusal.code} ${refusal.code >= 500 ? 'Mailbox unavailable' : 'Try again later'}`,
      )
    const raw = session.data.map((line) => (line.startsWith('..') ? line.slice(1) : line)).join('\r\n')
    messages.push({ from: session.from, to: [...session.to], raw })
    reply(socket, `250 OK queued as ${messages.length}`)
    wake()
  }
  const server: TCPSocketListener<Session> = Bun.listen<Session>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: '', inData: false, from: '', to: [], data: [] }
        reply(socket, '220 sink ESMTP')
      },
      data(socket, chunk) {
        const session = socket.data
        session.buffer += chunk.toString('utf8')
        let index = session.buffer.indexOf('\r\n')
        while (index !== -1) {
          const line = session.buffer.slice(0, index)
          session.buffer = session.buffer.slice(index + 2)
          if (session.inData) {
            if (line === '.') endOfData(socket)
            else session.data.push(line)
          } else command(socket, line)
          index = session.buffer.indexOf('\r\n')
        }
      },
    },
  })
  return {
    port: server.port,
    url: `smtp://127.0.0.1:${server.port}?ignoreTLS=true`,
    messages,
    refuseNext(count: number, code = 421) {
      refusals = Array.from({ length: count }, () => ({ code }))
    },
    /** Resolves once the sink holds at least `count` messages. */
    waitFor(count: number): Promise<void> {
      return until(() => messages.length >= count)
    },
    /** The first message (already received or still to come) to `address`, any case; fails after `timeoutMs`. */
    async waitForMailTo(address: string, timeoutMs = 10_000): Promise<SunkMessage> {
      const wanted = address.toLowerCase()
      const find = () => messages.find((message) => message.to.some((to) => to.toLowerCase() === wanted))
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no mail to ${wanted} within ${timeoutMs} ms`)), timeoutMs)
      })
      await Promise.race([until(() => find() !== undefined), timeout]).finally(() => clearTimeout(timer))
      return find()!
    },
    stop: () => server.stop(true),
  }
}

export type SmtpSink = ReturnType<typeof startSmtpSink>

/** The decoded text/plain body and the Subject of a sunk message (quoted-printable or base64). */
export function readMessage(raw: string): { subject: string; text: string; html: string } {
  const headerEnd = raw.indexOf('\r\n\r\n')
  const headers = raw.slice(0, headerEnd).replace(/\r\n[ \t]+/g, ' ')
  const subject = decodeWords(headers.match(/^Subject: (.*)$/im)?.[1] ?? '')
  const parts = raw.includes('Content-Type: multipart') ? raw.split(/\r\n--[^\r\n]+/).slice(1) : [raw]
  const pick = (type: string) => {
    const part = parts.find((candidate) => new RegExp(`Content-Type: ${type}`, 'i').test(candidate))
    if (!part) return ''
    const split = part.indexOf('\r\n\r\n')
    const head = part.slice(0, split)
    const body = part.slice(split + 4)
    if (/Content-Transfer-Encoding: base64/i.test(head))
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) return decodeQuotedPrintable(body)
    return body
  }
  return { subject, text: pick('text/plain'), html: pick('text/html') }
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s?/gi, (_whole, encoding: string, data: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  )
}
