import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The body with quoted-printable soft breaks and escapes undone, so links can be matched. */
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives. `rejecting` makes it answer RCPT TO with
 * 451 (a temporary failure, as a greylisting or overloaded relay does).
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  rejecting = false;
  rejected = 0;
  /** Milliseconds to wait before accepting each message (a slow relay). */
  delayMs = 0;
  private server: SMTPServer | null = null;

  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      // No STARTTLS: nodemailer would upgrade and then refuse the test server's self-signed certificate.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1000, // close() otherwise waits up to 30 s for idle clients
      onRcptTo: (_address, _session, callback) => {
        if (!this.rejecting) return callback();
        this.rejected++;
        const err = Object.assign(new Error('try again later'), { responseCode: 451 });
        callback(err);
      },
      onData: (stream, session, callback) => {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (raw += chunk));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          setTimeout(() => {
            this.messages.push({
              from,
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              text: decodeQuotedPrintable(raw),
            });
            callback();
          }, this.delayMs);
        });
      },
    });
    server.on('error', () => undefined); // client resets during kill -9 tests are expected
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`SMTP receiver: condition not met within ${timeoutMs} ms (${this.messages.length} messages)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
