import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type pino from 'pino';
import { type Orm } from '../db';
import { type ClaimedMessage, type OutboxMail, OutboxRepository } from '../repositories/outbox.repository';
import { newUnitOfWork } from '../repositories/unit-of-work';
import { EventLoopLoad, type LoadGauge } from './event-loop-load';
import { type MailFolder } from './mail-folder';

export interface DispatcherOptions {
  smtpUrl?: string;
  /** Without smtpUrl, messages are written here as .eml files (a trial or development set-up). */
  mailFolder?: MailFolder;
  from: string;
  intervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** Told of every failed delivery attempt (metrics). */
  onDeliveryFailure?: () => void;
  /** How long a claimed message is leased before another instance may retry it (crash safety). */
  leaseSeconds?: number;
  /** When a backlog gives way to requests (while this process's event loop is saturated, by default). */
  load?: LoadGauge;
}

/**
 * What a message keeps once it is out of our hands (delivered, or given up): its subject. The body carried a
 * one-time secret (an invitation's token and accept link) that exists at rest only as a hash on the member; the
 * row itself stays, for the record of what was sent to whom and when.
 */
export const SCRUBBED_TEXT = '(body removed after delivery: it carried a one-time secret)';
const scrubbed = (mail: OutboxMail): string => JSON.stringify({ subject: mail.subject, text: SCRUBBED_TEXT });

/**
 * Delivers outbox messages at least once. Rows are claimed with FOR UPDATE SKIP LOCKED and leased by
 * pushing next_attempt_at forward, so several instances share the work and a crash mid-send only
 * delays the message until its lease runs out. Failures back off exponentially, attempts recorded.
 */
export class OutboxDispatcher {
  private transport: Transporter | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly load: LoadGauge;

  constructor(
    private readonly orm: Orm,
    private readonly logger: pino.Logger,
    private readonly options: DispatcherOptions,
  ) {
    this.load = options.load ?? new EventLoopLoad();
    // nodemailer waits up to 2 min to connect and 10 min on a silent socket; one send must stay well
    // inside a lease (see drainOnce), so a hung relay fails fast and the message backs off instead.
    // One pooled connection, reused from message to message: a backlog of invitations (an IdP's first sync) is
    // not a TCP and SMTP handshake per message. Sends are sequential, so one connection is all a batch uses.
    this.transport = options.smtpUrl
      ? nodemailer.createTransport({
          url: options.smtpUrl,
          pool: true,
          maxConnections: 1,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 15_000,
        })
      : null;
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.drainOnce()
        .catch((err: Error) => {
          this.logger.warn({ err: err.message }, 'outbox dispatch failed');
          return 0;
        })
        .then((delivered) => {
          this.running = null;
          // A full batch means a backlog (an IdP's initial sync invites thousands): go on at once rather than
          // at one batch per interval, so the last invitee does not wait minutes for its e-mail; but while the
          // sync's requests saturate the process, they come first and the backlog goes on a batch per pause.
          const backlog = delivered >= (this.options.batchSize ?? 20);
          const next = backlog ? this.load.paced(0) : (this.options.intervalMs ?? 1000);
          if (!this.stopped) this.timer = setTimeout(tick, next);
        });
    };
    tick();
  }

  /** Stops polling and waits for the batch in flight (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** Claims and sends one batch; returns how many were delivered. */
  async drainOnce(): Promise<number> {
    const outbox = new OutboxRepository(newUnitOfWork(this.orm));
    const lease = this.options.leaseSeconds ?? 60;
    const rows = await outbox.claim(lease, this.options.batchSize ?? 20);
    const claimedAt = Date.now();
    let delivered = 0;
    for (const [index, row] of rows.entries()) {
      // Once the lease runs out another instance may claim these rows and send them too. Stop starting
      // sends after a third of it (a send is bounded by the transport timeouts) and hand the rest back.
      if (Date.now() - claimedAt > (lease * 1000) / 3) {
        await outbox.release(rows.slice(index).map((r) => r.id));
        break;
      }
      const mail = row.mail;
      try {
        await this.deliver(row, mail);
        await outbox.markSent(row.id, scrubbed(mail));
        delivered++;
      } catch (err) {
        const failed = row.attempts >= (this.options.maxAttempts ?? 8);
        const backoff = Math.min(3600, 2 ** row.attempts * 5);
        await outbox.markFailed(row.id, String((err as Error).message).slice(0, 500), backoff, failed, scrubbed(mail));
        this.options.onDeliveryFailure?.();
        this.logger.warn(
          { outboxId: row.id, attempts: row.attempts, err: (err as Error).message },
          'outbox message not delivered',
        );
      }
    }
    return delivered;
  }

  private async deliver(row: ClaimedMessage, mail: OutboxMail): Promise<void> {
    // The Message-ID is the outbox row's: a send repeated after a crash between the relay's acceptance and our
    // SENT mark (at-least-once) is the same message to the relay and the mail client, which drop duplicates.
    const message = {
      from: this.options.from,
      to: row.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${row.id}@outbox.orgd>`,
    };
    if (this.transport) {
      await this.transport.sendMail(message);
      return;
    }
    // No SMTP configured: the message (with its one-time link) goes to a file only the operator can read; the log
    // says where, never what it says.
    const kind = row.kind === 'SIGN_IN_LINK' ? 'sign-in link' : 'invitation';
    if (!this.options.mailFolder) {
      this.logger.warn({ outboxId: row.id, to: row.recipient }, `SMTP_URL unset and no mail folder: ${kind} dropped`);
      return;
    }
    const file = await this.options.mailFolder.write(row.id, await renderEml(message));
    this.logger.info({ outboxId: row.id, to: row.recipient, file }, `SMTP_URL unset: ${kind} written to ${file}`);
  }
}

/**
 * A message as the relay would receive it (nodemailer's MIME composer, the one its transports use), with Unix line
 * ends, for the mail folder. The composer alone: a transport around it (streams, abort signals) cost more than twice
 * the rendering itself.
 */
async function renderEml(message: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  const raw = await new MailComposer(message).compile().build();
  return Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}
