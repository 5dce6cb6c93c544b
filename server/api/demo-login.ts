import express, { Router } from 'express';
import { DEMO_ABOUT } from '../demo.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import type { Auth } from './auth.ts';
import { parse } from './errors.ts';
import { issueSession, sessionBody } from './members.ts';

const LISTED = 50;
const STAFF = [
  {
    subject: 'agent_demo',
    role: 'agent',
    name: 'Alex Agent',
    about: 'Member care agent: works the case queues, finds members (legal information masked), removes access on a member’s behalf, records refunds.',
  },
  {
    subject: 'reviewer_demo',
    role: 'reviewer',
    name: 'Riley Reviewer',
    about: 'Reviewer: decides manual identity reviews with the document photos, opens cases by hand, sees legal information in full.',
  },
];

/**
 * Development sign-in behind `/login` (mounted only with DEMO=1): anyone may pick a member or a
 * staff role. In production the integrator's backend issues sessions with `POST /v1/sessions`.
 */
export function demoLoginRouter(host: ActorHost, store: Store, auth: Auth) {
  const router = Router();

  router.get('/members', async (_req, res) => {
    const members = async (kind: 'seeker' | 'provider') => {
      const found = await store.listActors({ kind, offset: 0, limit: LISTED });
      const loaded = await Promise.all(found.data.map((a) => host.load(a.id)));
      return loaded.flatMap((l) => {
        if (!l) return [];
        const c = l.snapshot.context;
        const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || String(c.email);
        return [{ subject: l.actor.id, role: kind, name, plan: c.plan ?? null, status: l.actor.status, about: DEMO_ABOUT[String(c.email)] ?? null }];
      });
    };
    res.json({ seekers: await members('seeker'), providers: await members('provider'), staff: STAFF });
  });

  router.post('/sessions', express.json({ limit: '1kb' }), async (req, res) => {
    const session = parse(sessionBody, req.body, 'session');
    res.status(201).json(await issueSession(host, auth, session));
  });

  return router;
}
