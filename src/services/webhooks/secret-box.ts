import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDataDir } from '../../data-dir';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the Standard Webhooks format). */
export const newSigningSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the secret's bytes (Standard Webhooks). */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Encrypts signing secrets at rest (AES-256-GCM). A signing secret must be read back to sign with, so it cannot be
 * a hash like our other credentials; encrypted under a key that is not in the database, a database dump or backup
 * alone does not let anyone forge our signatures. The endpoint id is the additional data: a ciphertext copied onto
 * another endpoint's row does not open there.
 */
export class SecretBox {
  private key: Buffer | null = null;

  /** `loadKey` runs on first use: a server that never handles webhooks never reads or writes a key. */
  constructor(private readonly loadKey: () => Buffer) {}

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    cipher.setAAD(Buffer.from(endpointId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join('.');
  }

  open(sealed: string, endpointId: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !data) throw new Error('unreadable webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(endpointId));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  private keyBytes(): Buffer {
    return (this.key ??= this.loadKey());
  }
}

/**
 * Where the key comes from: WEBHOOK_SECRET_KEY when set (what several instances must share); a random key for a
 * throwaway in-memory database; otherwise a key generated once into DATA_DIR/webhook-secret.key (owner-only), so a
 * single server works without configuration.
 */
export function secretKeyLoader(configured: string | undefined, dataDir: string | null): () => Buffer {
  if (configured) return () => Buffer.from(configured, 'base64');
  if (!dataDir) return () => randomBytes(32);
  return () => {
    const file = path.join(dataDir, 'webhook-secret.key');
    if (!existsSync(file)) {
      ensureDataDir(dataDir);
      try {
        writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold the base64 of 32 bytes`);
    return key;
  };
}
