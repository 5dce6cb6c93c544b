import { Router } from 'express';
import { z } from 'zod';
import { eighteenYearsBefore, legalInfoFields, seeker as seekerKind } from '../../machines/seeker.ts';
import type { Blocklist } from '../idv/blocklist.ts';
import { importedIdentity, importedSeeker } from '../idv/imported.ts';
import type { Caller } from '../runtime/caller.ts';
import { forbidden, notFound, refused } from '../runtime/errors.ts';
import { type ActorHost, newActorId } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import type { Auth } from './auth.ts';
import { parse } from './errors.ts';

const name = z.string().trim().min(1).max(100);
const email = z.email().max(254);
const phone = z.string().regex(/^\+?[0-9 ()-]{7,20}$/, 'a phone number');

export const seekerBody = z
  .object({
    email,
    plan: z.enum(['legacy', 'starter', 'complete']),
    first_name: name.optional(),
    last_name: name.optional(),
    phone: phone.optional(),
    legal: legalInfoFields.optional(),
    identity: importedIdentity.optional(),
  })
  .strict()
  .refine((b) => (b.legal === undefined) === (b.identity === undefined), 'legal and identity come together: an imported verification needs both');
export const providerBody = z.object({ email, first_name: name, last_name: name, phone: phone.optional() }).strict();
export const sessionBody = z
  .object({
    subject: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'an actor id or a staff id'),
    role: z.enum(['seeker', 'provider', 'agent', 'reviewer']),
  })
  .strict();

function requireIntegrator(caller: Caller) {
  if (caller.role !== 'integrator') throw forbidden('Only the integrator may do this.');
}

/** A session for a staff id, or for a member that exists with that role. */
export async function issueSession(host: ActorHost, auth: Auth, session: Required<Pick<Caller, 'role' | 'subject'>>) {
  if (session.role === 'seeker' || session.role === 'provider') {
    const member = await host.load(session.subject);
    if (!member || member.kind.kind !== session.role) throw notFound(session.role);
  }
  return auth.issue(session);
}

/** Members and sessions: the integrator creates seekers, providers and member or staff sessions. */
export function membersRouter(host: ActorHost, auth: Auth, blocklist: Blocklist) {
  const router = Router();

  router.post('/sessions', async (req, res) => {
    const body = parse(sessionBody, req.body, 'session');
    requireIntegrator(req.caller);
    res.status(201).json(await issueSession(host, auth, body));
  });

  router.post('/seekers', async (req, res) => {
    const body = parse(seekerBody, req.body, 'seeker');
    requireIntegrator(req.caller);
    const { legal, identity: imported, ...account } = body;
    if (legal && legal.dob > eighteenYearsBefore(host.now())) throw refused('age_below_minimum');
    // I7: a failed identity does not come back under a new seeker.
    const legalName = legal && { first: legal.legal_first_name, last: legal.legal_last_name, dob: legal.dob };
    if (await blocklist.blocked({ email: body.email, phones: [body.phone, legal?.phone], legal: legalName })) throw refused('blocklisted');
    const id = newActorId(seekerKind);
    const { input, records } = legal && imported ? importedSeeker(id, account, legal, imported, host.now()) : { input: account, records: [] };
    const created = await host.create('seeker', input, { role: 'integrator' }, id, records);
    res.status(201).json(actorView(created, req.caller, host.now()));
  });

  router.post('/providers', async (req, res) => {
    const body = parse(providerBody, req.body, 'provider');
    requireIntegrator(req.caller);
    const created = await host.create('provider', body, { role: 'integrator' });
    res.status(201).json(actorView(created, req.caller, host.now()));
  });

  return router;
}
