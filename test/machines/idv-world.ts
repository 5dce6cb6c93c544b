import { expect } from 'vitest';
import { command, type TestServer } from '../helpers/server.ts';
import { type ActorChanged, Inbox } from './link-driver.ts';

/**
 * Test data for identity verification (API.md "Sandbox"), and a seeker on a running server who
 * goes through it: through their own session and dashboard socket, a reviewer for manual
 * reviews, the integrator for plan changes and the gate, and the Veriff sandbox's hosted page.
 */

/** What the sandboxes will answer for a seeker, decided by their legal information. */
export interface Profile {
  name: string;
  /** Prove: `00` mobile auth passes, `01` an SMS code, `99` Prove cannot verify. */
  phoneEnding: '00' | '01' | '99';
  /** The seeker types a wrong SMS code. */
  typo: boolean;
  /** Veriff decides by the legal last name. */
  lastName: 'Approved' | 'Declined' | 'Review' | 'Resubmit' | 'Expired';
}

export const PROFILES: Profile[] = [
  { name: 'mobile auth', phoneEnding: '00', typo: false, lastName: 'Approved' },
  { name: 'SMS code', phoneEnding: '01', typo: false, lastName: 'Approved' },
  { name: 'wrong SMS code, Veriff approves', phoneEnding: '01', typo: true, lastName: 'Approved' },
  { name: 'Veriff declines', phoneEnding: '99', typo: false, lastName: 'Declined' },
  { name: 'Veriff asks for review', phoneEnding: '99', typo: false, lastName: 'Review' },
  { name: 'Veriff asks to resubmit', phoneEnding: '99', typo: false, lastName: 'Resubmit' },
  { name: 'Veriff session expires', phoneEnding: '99', typo: false, lastName: 'Expired' },
];

export const RIGHT_CODE = '123456';
export const WRONG_CODE = '654321';
const TYPO = 'Typo';

/** The legal information a model event carries for a profile; the world reads the profile back from it. */
export function legalInfoOf(profile: Profile) {
  return {
    legal_first_name: profile.typo ? `${TYPO} Jordan` : 'Jordan',
    legal_last_name: profile.lastName,
    dob: '1990-04-12',
    address: '1 Market Street, San Francisco, CA 94105',
    phone: `+1 415 555 01${profile.phoneEnding}`,
  };
}

export function profileOf(info: { legal_first_name: string; legal_last_name: string; phone: string }): Profile {
  return PROFILES.find((p) => info.phone.endsWith(p.phoneEnding) && p.lastName === info.legal_last_name && p.typo === info.legal_first_name.startsWith(TYPO))!;
}

export class IdvWorld {
  private constructor(
    readonly t: TestServer,
    readonly seekerId: string,
    readonly token: string,
    readonly reviewerToken: string,
    readonly agentToken: string,
    readonly inbox: Inbox,
    /** Unique per world: blocklisting one world's identity must not touch another's (I7). */
    private readonly unique: string,
    private seen = 0,
  ) {}

  static async create(t: TestServer, plan: 'starter' | 'legacy' = 'starter'): Promise<IdvWorld> {
    const unique = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    const created = await t.api('POST', '/v1/seekers', { email: `idv-${unique}@example.com`, plan, first_name: 'Jordan', last_name: 'Seeker' });
    expect(created.status).toBe(201);
    const token = await t.session(created.body.id, 'seeker');
    const inbox = new Inbox(await t.socket(token));
    return new IdvWorld(t, created.body.id, token, await t.session('reviewer_model', 'reviewer'), await t.session('agent_model', 'agent'), inbox, unique);
  }

  /** The legal information of a profile, made this world's own: its phone and first name. */
  legalInfo(info: ReturnType<typeof legalInfoOf>) {
    return {
      ...info,
      legal_first_name: `${info.legal_first_name} ${this.unique}`,
      phone: `+1 ${this.unique.slice(0, 3)} ${this.unique.slice(3)}${info.phone.slice(-2)}`,
    };
  }

  async asSeeker(event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, this.seekerId, event, this.token), event);
  }

  async asReviewer(event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, this.seekerId, event, this.reviewerToken), event);
  }

  async asAgent(event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, this.seekerId, event, this.agentToken), event);
  }

  async asIntegrator(event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, this.seekerId, event), event);
  }

  private expectOk(res: { status: number; body: any }, event: Record<string, unknown>) {
    expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.actor as ActorChanged['actor'];
  }

  gate() {
    return this.t.api('POST', `/v1/seekers/${this.seekerId}/gate`, { action: 'message' });
  }

  view() {
    return this.t.api('GET', `/v1/actors/${this.seekerId}`, undefined, { token: this.token });
  }

  /** Does what the Veriff hosted page does: uploads a document photo and a selfie, then submits. */
  async submitOnHostedPage(sessionId: string) {
    const base = `${this.t.url}/sandbox/veriff/v1/sessions/${sessionId}`;
    const headers = { 'content-type': 'application/json', 'x-auth-client': 'trustwire-sandbox' };
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex').toString('base64');
    for (const context of ['document-front', 'face']) {
      const res = await fetch(`${base}/media`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ image: { context, content: jpeg, timestamp: new Date().toISOString() } }),
      });
      expect(res.status, `media ${context}`).toBeLessThan(300);
    }
    const submitted = await fetch(base, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verification: { status: 'submitted' } }),
    });
    expect(submitted.status, 'submit on the hosted page').toBeLessThan(300);
  }

  /** The seeker's next change on their dashboard, in order: each change is seen exactly once. */
  async nextChange(type: string): Promise<ActorChanged> {
    const index = this.seen;
    const change = await this.inbox.change(
      (m) => m.actor.id === this.seekerId && this.inbox.changesOf(this.seekerId).indexOf(m) === index,
      `change #${index} (${type})`,
    );
    this.seen++;
    expect(change.event.type, `change #${index}`).toBe(type);
    return change;
  }

  /** Nothing else changed on the seeker: a step causes one change, no more. */
  expectNoMoreChanges() {
    expect(
      this.inbox
        .changesOf(this.seekerId)
        .slice(this.seen)
        .map((m) => m.event.type),
    ).toEqual([]);
  }
}
