import { createHmac, randomBytes } from 'node:crypto';

/**
 * The two signatures on every webhook delivery, over the same raw body (VENDORS.md "Our own
 * outgoing webhooks"): Standard Webhooks with the subscription's secret, and Checkr's
 * `X-Checkr-Signature` with the integrator's API key.
 */

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the HMAC key is the decoded bytes). */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function checkrSignature(apiKey: string, body: string): string {
  return createHmac('sha256', apiKey).update(body).digest('hex');
}

export function signedHeaders(opts: { secret: string; apiKey: string; id: string; timestamp: number; body: string }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': opts.id,
    'webhook-timestamp': String(opts.timestamp),
    'webhook-signature': standardSignature(opts.secret, opts.id, opts.timestamp, opts.body),
    'x-checkr-signature': checkrSignature(opts.apiKey, opts.body),
  };
}
