/**
 * A tiny SMTP server for tests: speaks enough real SMTP (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET,
 * NOOP, QUIT) for nodemailer to deliver to it, without STARTTLS or AUTH, and keeps every message.
 */
export interface SinkMessage {
  from: string
  to: string[]
  data: string
}

export interface SmtpSink {
  port: number
  messages: SinkMessage[]
  /** Resolves with the first message (already received or still to come) `predicate` accepts. */
  waitFor(predicate: (message: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>
  stop(): void
}

interface Session {
  buffer: string
  inData: boolean
  from: string
  to: string[]
  data: string[]
}

export function startSmtpSink(hostname = '127.0.0.1'): SmtpSink {
  const messages: SinkMessage[] = []
  const reply = (socket: { write(text: string): number }, line: string) => socket.write(`${line}\r\n`)
  const server = Bun.listen<Session>({
    hostname,
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: '', inData: false, from: '', to: [], data: [] }
        reply(socket, '220 sink.test ESMTP ready')
      },
      data(socket, chunk) {
        const session = socket.data
        session.buffer += new TextDecoder().decode(chunk)
        let index = session.buffer.indexOf('\r\n')
        while (index >= 0) {
          const line = session.buffer.slice(0, index)
          session.buffer = session.buffer.slice(index + 2)
          index = session.buffer.indexOf('\r\n')
          if (session.inData) {
            if (line === '.') {
              messages.push({ from: session.from, to: session.to, data: session.data.join('\r\n') })
              Object.assign(session, { inData: false, from: '', to: [], data: [] })
              reply(socket, '250 2.0.0 queued')
            } else session.data.push(line.startsWith('..') ? line.slice(1) : line)
            continue
          }
          const verb = line.slice(0, 4).toUpperCase()
          if (verb === 'EHLO') socket.write('250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n')
          else if (verb === 'HELO') reply(socket, '250 sink.test')
          else if (verb === 'MAIL') {
            session.from = /<([^>]*)>/.exec(line)?.[1] ?? ''
            reply(socket, '250 2.1.0 ok')
          } else if (verb === 'RCPT') {
            session.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '')
            reply(socket, '250 2.1.5 ok')
          } else if (verb === 'DATA') {
            if (session.to.length === 0) reply(socket, '503 5.5.1 RCPT first')
            else {
              session.inData = true
              reply(socket, '354 end with <CRLF>.<CRLF>')
            }
          } else if (verb === 'RSET') {
            Object.assign(session, { from: '', to: [], data: [] })
            reply(socket, '250 2.0.0 ok')
          } else if (verb === 'NOOP') reply(socket, '250 2.0.0 ok')
          else if (verb === 'QUIT') {
            reply(socket, '221 2.0.0 bye')
            socket.end()
          } else reply(socket, '502 5.5.2 command not implemented')
        }
      },
    },
  })
  return {
    port: server.port,
    messages,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const found = messages.find(predicate)
        if (found) return found
        await Bun.sleep(25)
      }
      throw new Error(`no matching mail within ${timeoutMs} ms (got ${messages.length})`)
    },
    stop: () => server.stop(true),
  }
}
