import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { completeIdme } from '../helpers/idme.ts';
import { command, createMembers, type TestServer } from '../helpers/server.ts';

/**
 * Drives provider links on a running server the way their users do: the seeker and the provider
 * through their own sessions and dashboards (sockets), an agent for staff removals, and the
 * integrator for plan changes and account closures.
 */

const WAIT_MS = 5000;

export interface ActorChanged {
  actor: { id: string; status: string; state: unknown; version: number; data: Record<string, any>; can: string[] };
  event: { type: string };
  by: { role: string };
  at: string;
}

export interface Notification {
  recipient: string;
  template: string;
  channel: string;
  actor: string;
}

/** Everything a dashboard socket received, kept from the moment it connected, so no change is missed. */
export class Inbox {
  readonly changes: ActorChanged[] = [];
  readonly notifications: Notification[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(socket: Socket) {
    socket.on('actor.changed', (message: ActorChanged) => this.push(this.changes, message));
    socket.on('notification', (message: Notification) => this.push(this.notifications, message));
  }

  /** The first change matching `match`, received already or within the wait. */
  change(match: (m: ActorChanged) => boolean, what: string, ms = WAIT_MS): Promise<ActorChanged> {
    return this.first(this.changes, match, what, ms);
  }

  notification(match: (n: Notification) => boolean, what: string, ms = WAIT_MS): Promise<Notification> {
    return this.first(this.notifications, match, what, ms);
  }

  changesOf(actorId: string): ActorChanged[] {
    return this.changes.filter((m) => m.actor.id === actorId);
  }

  private push<T>(list: T[], message: T) {
    list.push(message);
    for (const wake of this.waiters) wake();
  }

  private first<T>(list: T[], match: (m: T) => boolean, what: string, ms: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = list.find(match);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no ${what} within ${ms} ms`));
      }, ms);
      if (!check()) this.waiters.add(wake);
    });
  }
}

export interface Member {
  id: string;
  token: string;
  inbox: Inbox;
}

/** A fresh seeker (Complete plan) and provider with their sessions and connected dashboards, and an agent. */
export class LinkWorld {
  private constructor(
    readonly t: TestServer,
    readonly seeker: Member,
    readonly provider: Member,
    readonly agentToken: string,
  ) {}

  static async create(t: TestServer): Promise<LinkWorld> {
    const { seekerId, providerId } = await createMembers(t, 'complete');
    const [seekerToken, providerToken, agentToken] = await Promise.all([
      t.session(seekerId, 'seeker'),
      t.session(providerId, 'provider'),
      t.session(`agent-${crypto.randomUUID().slice(0, 8)}`, 'agent'),
    ]);
    const [seekerSocket, providerSocket] = await Promise.all([t.socket(seekerToken), t.socket(providerToken)]);
    return new LinkWorld(
      t,
      { id: seekerId, token: seekerToken, inbox: new Inbox(seekerSocket) },
      { id: providerId, token: providerToken, inbox: new Inbox(providerSocket) },
      agentToken,
    );
  }

  /** The seeker asks to monitor a provider (by default this world's provider): a new draft link. */
  async startLink(providerId = this.provider.id): Promise<ActorChanged['actor']> {
    const res = await this.t.api('POST', '/v1/links', { seeker_id: this.seeker.id, provider_id: providerId }, { token: this.seeker.token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'link', status: 'draft' });
    return res.body;
  }

  async asSeeker(link: string, event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, link, event, this.seeker.token), event);
  }

  async asProvider(link: string, event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, link, event, this.provider.token), event);
  }

  async asAgent(link: string, event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, link, event, this.agentToken), event);
  }

  /** The integrator's command (plan change, account closure); answers the changed member's view. */
  async asIntegrator(actor: string, event: Record<string, unknown>) {
    return this.expectOk(await command(this.t, actor, event), event);
  }

  /** GET /v1/actors/{id} with a member's or the agent's session. */
  view(id: string, token: string) {
    return this.t.api('GET', `/v1/actors/${id}`, undefined, { token });
  }

  /**
   * The seeker completes ID.me in the sandbox as a browser would: start, choose "verify" on the
   * authorize page, follow the redirect back to trustwire's callback.
   */
  completeIdme() {
    return completeIdme(this.t, this.seeker.id, 'verify', this.seeker.token);
  }

  /** A further provider for this seeker to ask about (the limit of three needs several). */
  async otherProvider(): Promise<string> {
    const n = crypto.randomUUID().slice(0, 8);
    const res = await this.t.api('POST', '/v1/providers', { email: `provider-${n}@example.com`, first_name: 'Other', last_name: 'Provider' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  private expectOk(res: { status: number; body: any }, event: Record<string, unknown>) {
    expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.actor as ActorChanged['actor'];
  }
}
