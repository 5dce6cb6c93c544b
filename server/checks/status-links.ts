import type { Auth } from '../api/auth.ts';
import { render } from '../notifications/templates.ts';
import { iso } from '../runtime/clock.ts';
import { outboxEntry } from '../runtime/outbox-entry.ts';
import type { Sealer } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';

/** A status link works this long (the same as an invitation's, B3), and can be asked for again. */
export const STATUS_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface StatusLink {
  status_url: string;
  expires_at: string;
}

/**
 * Lasting links to a candidate's status page (B6: "the candidate can check at any time"): unlike
 * an invitation's, they name the candidate, so they outlive invitations, and one reaches
 * candidates whose reports came from `POST /v1/reports`.
 */
export class StatusLinks {
  constructor(
    private readonly auth: Auth,
    private readonly store: Store,
    private readonly sealer: Sealer,
    private readonly publicUrl: string,
    private readonly now: () => number,
    private readonly outboxAdded: () => void,
  ) {}

  issue(candidateId: string): StatusLink {
    const expires = this.now() + STATUS_LINK_TTL_MS;
    const token = this.auth.signed({ candidate_status: candidateId }, expires);
    return { status_url: `${this.publicUrl}/status/${candidateId}?t=${token}`, expires_at: iso(expires) };
  }

  /** The candidate id a link's token opens, if it is valid. */
  opened(token: unknown): string | undefined {
    return typeof token === 'string' ? this.auth.verified<{ candidate_status?: string }>(token)?.candidate_status : undefined;
  }

  /**
   * Emails a fresh link to the address on the candidate's record, through the outbox. `once`
   * names the occasion (a report's creation), so that repeating it sends one email.
   */
  async email(candidateId: string, once?: string) {
    const link = this.issue(candidateId);
    const at = iso(this.now());
    const message = { ...render('status_link', { ...link }), template: 'status_link', channel: 'email', actor: candidateId };
    const id = once && `obx_status_${once}`;
    await this.store.commit(
      commitOf({ outbox: [outboxEntry(this.sealer, { kind: 'email' }, { id, actor: candidateId, recipient: candidateId, payload: message, at })] }),
    );
    this.outboxAdded();
  }
}
