/**
 * A local SMTP sink for tests: a server on a free port of 127.0.0.1 that speaks enough SMTP
 * (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT) for nodemailer and any
 * other client to deliver to it, and keeps each message (envelope and raw data) for the test to read.
 * No TLS and no AUTH are offered, so clients send in plain text, as to a local relay.
 */

export interface ReceivedMail {
  from: string
  to: string[]
  /** The message as sent (headers and body), dot-stuffing removed, CRLF line ends. */
  data: string
}

export interface SmtpSink {
  port: number
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string
  messages: ReceivedMail[]
  /** Resolves with the first message (already received or still to come) to `address`. */
  waitFor(address: string, timeoutMs?: number): Promise<ReceivedMail>
  stop(): void
}

interface Session {
  buffer: string
  from: string
  to: string[]
  data: string[] | null
}

export function startSmtpSink(): SmtpSink {
  const messages: ReceivedMail[] = []
  const waiters: { address: string; resolve: (mail: ReceivedMail) => void }[] = []
  const deliver = (mail: ReceivedMail) => {
    messages.push(mail)
    for (const waiter of [...waiters]) {
      if (mail.to.includes(waiter.address)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(mail)
      }
    }
  }
  const address = (text: string) => /<([^>]*)>/.exec(text)?.[1]?.toLowerCase() ?? ''
  const listener = Bun.listen<Session>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: '', from: '', to: [], data: null }
        socket.write('220 sink.localhost ESMTP test sink\r\n')
      },
      data(socket, chunk) {
        const session = socket.data
        session.buffer += chunk.toString('utf8')
        let end = session.buffer.indexOf('\r\n')
        while (end !== -1) {
          const line = session.buffer.slice(0, end)
          session.buffer = session.buffer.slice(end + 2)
          if (session.data) {
            if (line === '.') {
              deliver({ from: session.from, to: session.to, data: `${session.data.join('\r\n')}\r\n` })
              session.data = null
              session.from = ''
              session.to = []
              socket.write('250 2.0.0 queued\r\n')
            } else session.data.push(line.startsWith('..') ? line.slice(1) : line)
          } else {
            const verb = line.slice(0, 4).toUpperCase()
            if (verb === 'EHLO') socket.write('250-sink.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n')
            else if (verb === 'HELO') socket.write('250 sink.localhost\r\n')
            else if (verb === 'MAIL') {
              session.from = address(line)
              socket.write('250 2.1.0 ok\r\n')
            } else if (verb === 'RCPT') {
              session.to.push(address(line))
              socket.write('250 2.1.5 ok\r\n')
            } else if (verb === 'DATA') {
              if (session.to.length === 0) socket.write('503 5.5.1 RCPT first\r\n')
              else {
                session.data = []
                socket.write('354 end with <CRLF>.<CRLF>\r\n')
              }
            } else if (verb === 'RSET') {
              session.from = ''
              session.to = []
              socket.write('250 ok\r\n')
            } else if (verb === 'NOOP') socket.write('250 ok\r\n')
            else if (verb === 'QUIT') {
              socket.write('221 bye\r\n')
              socket.end()
            } else socket.write('502 5.5.2 not implemented\r\n')
          }
          end = session.buffer.indexOf('\r\n')
        }
      },
    },
  })
  return {
    port: listener.port,
    url: `smtp://127.0.0.1:${listener.port}`,
    messages,
    waitFor(to, timeoutMs = 10_000) {
      const wanted = to.toLowerCase()
      const found = messages.find((mail) => mail.to.includes(wanted))
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no mail to ${wanted} within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({
          address: wanted,
          resolve: (mail) => {
            clearTimeout(timer)
            resolve(mail)
          },
        })
      })
    },
    stop() {
      listener.stop(true)
    },
  }
}

/** The decoded text body of a simple (single-part, quoted-printable or plain) message. */
export function mailText(data: string): string {
  const [head = '', ...body] = data.split('\r\n\r\n')
  const text = body.join('\r\n\r\n')
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(head)) return text
  const bytes = text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}
