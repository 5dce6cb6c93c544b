import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-256-GCM, as everything at rest is sealed: base64(iv | tag | ciphertext). */
export function encrypt(key: Buffer, iv: Buffer, plain: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens what `encrypt` sealed; throws unless `key` is the one (GCM authenticates). */
export function decrypt(key: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
