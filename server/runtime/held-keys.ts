import { LruCache } from './lru-cache.ts';
import type { Erasure } from './seal.ts';

/** A subject's data key: wrapped by `wrappedBy` (none: written before rotation) until first used, then unwrapped. */
export interface OwnKey {
  key?: Buffer;
  wrapped?: string;
  wrappedBy?: string;
}

/**
 * Subjects whose keys a node keeps cached by default (SUBJECT_KEYS_CACHED): as many as the actors
 * the host keeps (host.ts), so that a cached actor's commands find its key held.
 */
export const SUBJECTS_CACHED = 20_000;

/** The store holds no key record for the subject: none made yet, or not a subject at all. */
export const NO_KEY = Object.freeze({ none: true as const });

/** What a node holds of one subject: its key, its erasure, or that the store has neither. */
export type Held = OwnKey | Erasure | typeof NO_KEY;

export const isErasure = (held: Held): held is Erasure => 'erased_at' in held;

/**
 * A subject's key was needed (to seal or open) before it was loaded (`Sealer.load`). Work that
 * changes nothing before it commits loads it and runs again (with-keys.ts).
 */
export class KeyNotLoaded extends Error {
  constructor(readonly subject: string) {
    super(`the data key of ${subject} is not loaded`);
  }
}

/**
 * The subjects' keys a node holds (issue 14): those in use, read from the store on demand and
 * kept in a bounded LRU cache, and the keys made here that no durable commit holds yet, kept
 * apart until one does: evicting one of those would lose what was sealed with it. Without a
 * store to read from (a sealer on its own, in tests), what is held is all there is.
 */
export class HeldKeys {
  private readonly cache: LruCache<Held>;
  private readonly fresh = new Map<string, OwnKey>();
  private readonly loading = new Map<string, Promise<void>>();
  private read: ((subject: string) => Promise<Held>) | undefined;

  constructor(limit: number) {
    this.cache = new LruCache(limit);
  }

  /** From now on, what is not held is read with `read`. */
  readFrom(read: (subject: string) => Promise<Held>): void {
    this.read = read;
  }

  /** Subjects held, fresh keys included. */
  get size(): number {
    return this.cache.size + this.fresh.size;
  }

  /** What is held of `subject`, marked as used; undefined while it is not loaded. */
  get(subject: string): Held | undefined {
    return this.fresh.get(subject) ?? this.cache.get(subject) ?? (this.read ? undefined : NO_KEY);
  }

  isFresh(subject: string): boolean {
    return this.fresh.has(subject);
  }

  /** Whether `subject` is held or being loaded: a commit bringing its record then updates it. */
  follows(subject: string): boolean {
    return this.fresh.has(subject) || this.cache.peek(subject) !== undefined || this.loading.has(subject);
  }

  /** A key made here, held until a durable commit holds its record (`set`). */
  made(subject: string, own: OwnKey): void {
    this.cache.delete(subject);
    this.fresh.set(subject, own);
  }

  set(subject: string, held: Held): void {
    this.fresh.delete(subject);
    this.cache.set(subject, held);
  }

  /** Reads what the store holds of `subject` unless it is held: once, however many ask meanwhile. */
  load(subject: string | undefined): Promise<void> {
    const read = this.read;
    if (subject === undefined || !read || this.get(subject) !== undefined) return Promise.resolve();
    let loading = this.loading.get(subject);
    if (!loading) {
      loading = read(subject)
        .then((held) => {
          // A commit heard meanwhile (`follows`) is as new as what was read, or newer.
          if (!this.fresh.has(subject) && this.cache.peek(subject) === undefined) this.cache.set(subject, held);
        })
        .finally(() => this.loading.delete(subject));
      this.loading.set(subject, loading);
    }
    return loading;
  }
}
