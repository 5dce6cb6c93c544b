import { createHmac } from 'node:crypto';
import type { SeekerContext } from '../../machines/seeker.ts';
import type { EffectModule } from '../runtime/effect-module.ts';
import type { Store, StoredRecord } from '../store/store.ts';

/** The parts of an identity a blocklist entry is made of (I7). */
export interface Identity {
  email?: string;
  phones?: (string | undefined)[];
  legal?: { first: string; last: string; dob: string };
}

const email = (v: string) => `email:${v.trim().toLowerCase()}`;
// The last ten digits: `+1 (555) 555-0100` and `5555550100` are one phone.
const phone = (v: string) => `phone:${v.replace(/\D/g, '').slice(-10)}`;
const name = (v: string) =>
  v
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const legal = (l: NonNullable<Identity['legal']>) => `legal:${name(l.first)}|${name(l.last)}|${l.dob}`;

/**
 * Blocklisted identities (I7). Entries are keyed by a keyed hash of each normalised part, so the
 * store never holds the email, phone or legal name in clear (P8), and a lookup is one record read.
 */
export class Blocklist {
  private readonly key: Buffer;

  constructor(
    private readonly store: Store,
    dataKey: Buffer,
  ) {
    // A key of its own: the hashes must not be usable to test guesses against sealed data.
    this.key = createHmac('sha256', dataKey).update('trustwire blocklist').digest();
  }

  private ids(identity: Identity): string[] {
    const parts = [
      ...(identity.email ? [email(identity.email)] : []),
      ...(identity.phones ?? []).filter((p): p is string => Boolean(p?.replace(/\D/g, ''))).map(phone),
      ...(identity.legal ? [legal(identity.legal)] : []),
    ];
    return [...new Set(parts)].map((part) => createHmac('sha256', this.key).update(part).digest('hex'));
  }

  async blocked(identity: Identity): Promise<boolean> {
    for (const id of this.ids(identity)) if (await this.store.getRecord('blocklist', id)) return true;
    return false;
  }

  /** Entries for a seeker whose verification failed: their email, account and legal phones, legal name with date of birth. */
  entriesFor(seeker: SeekerContext, seekerId: string, at: string): StoredRecord[] {
    const info = seeker.legal_info;
    const identity: Identity = {
      email: seeker.email,
      phones: [seeker.phone, info?.phone],
      legal: info && { first: info.legal_first_name, last: info.legal_last_name, dob: info.dob },
    };
    return this.ids(identity).map((id) => ({ collection: 'blocklist', id, value: { seeker: seekerId, at } }));
  }
}

/** I7: a failed verification blocklists the seeker's identity in the same commit. */
export const blocklisting = (blocklist: Blocklist): EffectModule<'blocklist'> => ({
  type: 'blocklist',
  deliveries: [],
  plan: (_effect, plan) => plan.add({ records: blocklist.entriesFor(plan.owner.snapshot.context as SeekerContext, plan.owner.actor.id, plan.at) }),
});
