import { createHash } from 'node:crypto';

/**
 * C1: the CBGC rollout. A seeker id hashes stably into 0–99; ids below the percentage, and ids
 * on the allow-list, are let in.
 */
export function cbgcEnabled(seekerId: string, percentage: number, allowlist: string[]): boolean {
  if (allowlist.includes(seekerId)) return true;
  const bucket = createHash('sha256').update(seekerId).digest().readUInt32BE(0) % 100;
  return bucket < percentage;
}
