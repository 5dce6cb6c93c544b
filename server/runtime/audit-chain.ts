import { createHash } from 'node:crypto';
import type { HistoryEntry } from '../../contract/index.ts';

/**
 * The audit history as hash chains (issue 16, README "Audit chain"): each actor's entries are
 * chained by `prev_hash`, each entry's `hash` is the sha256 of its canonical encoding. Entries hold
 * no personal data in clear; a field that ever does is hashed as stored (sealed), so erasing a
 * subject's key leaves its chain verifiable.
 */

/** The `prev_hash` of an actor's first entry. */
export const GENESIS = '0'.repeat(64);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * RFC 8785 (JSON Canonicalization Scheme) for what entries hold (strings, integers, null, arrays,
 * objects): no whitespace, object keys sorted by UTF-16 code units, undefined members left out.
 */
export function canonical(value: unknown): string {
  // Loops and concatenation rather than entries, filter, map and join: every commit hashes its entries (issue 14).
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ',' : ''}${canonical(value[i]) ?? ''}`;
    return `${out}]`;
  }
  // sort() without a comparator orders strings by UTF-16 code units, as RFC 8785 asks.
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(field)}`;
  }
  return `${out}}`;
}

/** The hash of an entry (or a checkpoint): sha256 over the canonical encoding of every field but `hash` itself. */
export function selfHash(value: object): string {
  const { hash: _hash, ...fields } = value as { hash?: unknown };
  return sha256(canonical(fields));
}

/** The entry with its place in the chain: `prev_hash` the hash of the entry before it, and its own `hash`. */
export function chained(entry: Omit<HistoryEntry, 'prev_hash' | 'hash'>, prev: string): HistoryEntry {
  const linked: HistoryEntry = { ...entry, prev_hash: prev };
  return { ...linked, hash: selfHash(linked) };
}

export type InvalidReason = 'missing' | 'out_of_order' | 'unchained' | 'broken_link' | 'altered' | 'head_mismatch';

export interface Verification {
  valid: boolean;
  /** Entries read. */
  entries: number;
  first_invalid: { seq: number; reason: InvalidReason } | null;
}

/** What the actor's own record says of its chain: its version (the last seq) and the hash of its last entry. */
export interface ChainHead {
  version: number;
  history_head?: string;
}

/**
 * Verifies one actor's history as stored (oldest first): seqs 1, 2, … without gaps, each entry
 * linked to the one before and hashing to its `hash`, the last one the head its actor record
 * names. An actor record that is gone (`head` undefined) is checked by its entries alone.
 */
export function verifyChain(entries: HistoryEntry[], head?: ChainHead): Verification {
  const invalid = (seq: number, reason: InvalidReason): Verification => ({ valid: false, entries: entries.length, first_invalid: { seq, reason } });
  let prev = GENESIS;
  for (const [i, entry] of entries.entries()) {
    const seq = i + 1;
    if (entry.seq !== seq) return invalid(seq, entries.some((e) => e.seq === seq) ? 'out_of_order' : 'missing');
    if (entry.hash === undefined) return invalid(seq, 'unchained');
    if (entry.prev_hash !== prev) return invalid(seq, 'broken_link');
    if (selfHash(entry) !== entry.hash) return invalid(seq, 'altered');
    prev = entry.hash;
  }
  if (head && head.version > entries.length) return invalid(entries.length + 1, 'missing');
  if (head?.history_head !== undefined && head.history_head !== (entries.at(-1)?.hash ?? GENESIS)) return invalid(Math.max(entries.length, 1), 'head_mismatch');
  return { valid: true, entries: entries.length, first_invalid: null };
}
