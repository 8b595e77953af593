import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR_MODE } from '../data-dir';
import { notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { parseEml } from './eml';

export interface StoredMail {
  /** The outbox message's id, also the file's name (`<id>.eml`). */
  id: string;
  to: string;
  subject: string;
  /** ISO 8601 */
  date: string;
  file: string;
}

export interface StoredMailContent extends StoredMail {
  /** The plain-text body: what the recipient reads, links included. */
  text: string;
}

/**
 * `DATA_DIR/mail/`: where the outbox writes each message as an .eml file when no SMTP relay is configured (a trial,
 * development). The files hold one-time links, so the folder is owner-only and each file 0600; the log names the
 * file, never its content. `orgctl mail list` / `orgctl mail show` read them back.
 */
export class MailFolder {
  constructor(readonly dir: string) {}

  /** Writes one message (atomically: a reader never sees half a file); returns the file's path. */
  async write(id: string, raw: Buffer): Promise<string> {
    const file = this.fileOf(id);
    const partial = `${file}.partial`;
    try {
      await writeFile(partial, raw, { mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // The folder is made when a write first finds it missing, not checked before every message.
      await mkdir(this.dir, { recursive: true, mode: DATA_DIR_MODE });
      await writeFile(partial, raw, { mode: 0o600 });
    }
    await rename(partial, file);
    return file;
  }

  /** The stored messages, newest first; only those to `to` (case-insensitive) when given. */
  async list(to?: string): Promise<StoredMail[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const ids = names.filter((n) => n.endsWith('.eml') && isUuid(n.slice(0, -4))).map((n) => n.slice(0, -4));
    const mails = await Promise.all(ids.map(async (id) => summary(await this.read(id))));
    const wanted = to?.trim().toLowerCase();
    return mails
      .filter((m) => !wanted || m.to.toLowerCase() === wanted)
      .sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
  }

  async show(id: string): Promise<StoredMailContent> {
    if (!isUuid(id)) throw notFound('mail');
    try {
      return await this.read(id);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('mail');
      throw err;
    }
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.eml`);
  }

  private async read(id: string): Promise<StoredMailContent> {
    const file = this.fileOf(id);
    const { headers, text } = parseEml(await readFile(file, 'utf8'));
    const date = new Date(headers.get('date') ?? '');
    return {
      id,
      to: headers.get('to') ?? '',
      subject: headers.get('subject') ?? '',
      date: Number.isNaN(date.getTime()) ? '' : date.toISOString(),
      file,
      text,
    };
  }
}

const summary = ({ text: _text, ...mail }: StoredMailContent): StoredMail => mail;
