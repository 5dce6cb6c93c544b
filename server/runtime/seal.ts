import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing of everything the store keeps about people (P8): actor snapshots and
 * outbox payloads are sealed before they reach the store, so store files hold no personal data
 * in clear. Format: base64(iv | tag | ciphertext).
 */
export class Sealer {
  // IVs are cut from a pool refilled in bulk: one randomBytes call per 4096 seals, not per seal.
  private pool = Buffer.alloc(0);
  private used = 0;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the data key must be 32 bytes');
  }

  private nextIv(): Buffer {
    if (this.used + 12 > this.pool.length) {
      this.pool = randomBytes(12 * 4096);
      this.used = 0;
    }
    this.used += 12;
    return this.pool.subarray(this.used - 12, this.used);
  }

  seal(value: unknown): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open<T>(sealed: string): T {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
  }
}
