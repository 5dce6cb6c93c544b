import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether two strings are equal, in time independent of where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A sandbox's client check, as the vendor's: a registered client_id with its own secret. */
export function clientCredentialsValid(clients: Record<string, string>, clientId: unknown, secret: unknown): boolean {
  if (typeof clientId !== 'string' || typeof secret !== 'string' || !Object.hasOwn(clients, clientId)) return false;
  return sameSecret(secret, clients[clientId]);
}
