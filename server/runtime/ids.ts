import { randomBytes } from 'node:crypto';

/** A new opaque id: the prefix (`skr_`, `case_`, `evt_` …) and `length` random hex digits. */
export function newId(prefix: string, length = 24): string {
  return (
    prefix +
    randomBytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length)
  );
}

let lastMs = 0;
let counter = 0;

/**
 * A new id that sorts after every earlier one this process made (time, then a counter, then
 * randomness): outbox entries of one actor are delivered in the order of their ids.
 */
export function orderedId(prefix: string, nowMs: number): string {
  counter = nowMs > lastMs ? 0 : counter + 1;
  lastMs = Math.max(lastMs, nowMs);
  return `${prefix}${lastMs.toString(16).padStart(12, '0')}${counter.toString(16).padStart(6, '0')}${randomBytes(7).toString('hex')}`;
}
