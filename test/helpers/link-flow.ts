import { expect } from 'vitest';
import { importedVerification } from './imported.ts';
import { command, type TestServer } from './server.ts';

/** Any running trustwire the helpers can call: in-process (server.ts) or a child process (process.ts). */
type Api = Pick<TestServer, 'api'>;

export const DISCLOSURE = { disclosure_version: 'cbgc-2026-01' };

/** A provider created through the API; returns its id. */
export async function createProvider(t: Api, first_name = 'Pat'): Promise<string> {
  const n = crypto.randomUUID().slice(0, 8);
  const res = await t.api('POST', '/v1/providers', { email: `provider-${n}@example.com`, first_name, last_name: 'Provider' });
  if (res.status !== 201) throw new Error(`provider: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A seeker created through the API; returns its id. A Complete-plan seeker is verified (imported) unless `verified` is false. */
export async function createSeeker(
  t: Api,
  plan: 'legacy' | 'starter' | 'complete' = 'complete',
  first_name = 'Sally',
  verified = plan === 'complete',
): Promise<string> {
  const n = crypto.randomUUID().slice(0, 8);
  const prior = verified ? importedVerification(first_name) : {};
  const res = await t.api('POST', '/v1/seekers', { email: `seeker-${n}@example.com`, plan, first_name, last_name: 'Seeker', ...prior });
  if (res.status !== 201) throw new Error(`seeker: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** `POST /v1/links` as the integrator (or with `token`), expecting 201; returns the link view. */
export async function createLink(t: Api, seekerId: string, providerId: string, token?: string) {
  const res = await t.api('POST', '/v1/links', { seeker_id: seekerId, provider_id: providerId }, { token });
  if (res.status !== 201) throw new Error(`link: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sends an event that must succeed; returns the actor view after it. */
export async function ok(t: Api, actor: string, event: Record<string, unknown>, token?: string) {
  const res = await command(t, actor, event, token);
  if (res.status !== 200) throw new Error(`${event.type} on ${actor}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.actor;
}

/** Creates a link and sends it (seeker with ID.me done): returns its id, in request_pending. */
export async function pendingLink(t: Api, seekerId: string, providerId: string, token?: string): Promise<string> {
  const link = await createLink(t, seekerId, providerId, token);
  if (link.data.step === 'confirm_hire') await ok(t, link.id, { type: 'CONFIRM_HIRE' }, token);
  const sent = await ok(t, link.id, { type: 'ACCEPT_DISCLOSURES', ...DISCLOSURE }, token);
  if (sent.status !== 'request_pending') throw new Error(`link ${link.id} is ${sent.status} after the disclosures (is ID.me done?)`);
  return link.id;
}

/** A link the provider accepted: status active. */
export async function activeLink(t: Api, seekerId: string, providerId: string): Promise<string> {
  const id = await pendingLink(t, seekerId, providerId);
  const accepted = await ok(t, id, { type: 'ACCEPT', ...DISCLOSURE });
  expect(accepted.status).toBe('active');
  return id;
}

/** GETs an actor as the integrator. */
export async function getActor(t: Api, id: string, token?: string) {
  const res = await t.api('GET', `/v1/actors/${id}`, undefined, { token });
  if (res.status !== 200) throw new Error(`GET ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Polls until `check` holds on the actor (changes applied later by the runtime: cascades, ID.me),
 * failing with the last view after `timeoutMs`.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until the actor reaches `status`; returns its view. */
export function statusOf(t: Api, id: string, status: string, timeoutMs = 5000) {
  return eventually(
    () => getActor(t, id),
    (view) => view.status === status,
    timeoutMs,
  );
}

/** GET /v1/notifications?recipient= (all of them, newest first). */
export async function notificationsOf(t: Api, recipient: string, token?: string): Promise<any[]> {
  const res = await t.api('GET', `/v1/notifications?recipient=${recipient}&per_page=100`, undefined, { token });
  if (res.status !== 200) throw new Error(`notifications of ${recipient}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
