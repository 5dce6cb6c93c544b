import { Router } from 'express';
import { z } from 'zod';
import type { SeekerContext } from '../../machines/seeker.ts';
import { idvStatus } from '../../machines/seeker.ts';
import { loadVisible } from '../api/access.ts';
import { parse } from '../api/errors.ts';
import { envelope, pageOf } from '../api/list.ts';
import { staffOrIntegrator } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { screeningHistory } from './screening-history.ts';

export const gateBody = z.object({ action: z.enum(['message', 'book']) }).strict();

/** Why a seeker may not message or book yet (I2, I6, I8), or undefined when they may. */
export function gateRefusal(seeker: Loaded): 'account_closed' | 'manual_review' | 'identity_verification_required' | undefined {
  if (seeker.actor.status === 'closed') return 'account_closed';
  const context = seeker.snapshot.context as SeekerContext;
  const idv = idvStatus(seeker.snapshot);
  if (context.plan === 'legacy' || idv === 'verified') return undefined;
  return idv === 'manual_review' ? 'manual_review' : 'identity_verification_required';
}

/** The gate (I2) and the screening history (I11). */
export function idvRouter(host: ActorHost, store: Store) {
  const router = Router();

  // The integrator asks before a seeker messages or books; the seeker's own dashboard may ask too.
  router.post('/seekers/:id/gate', async (req, res) => {
    parse(gateBody, req.body, 'gate');
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    if (req.caller.role !== 'integrator' && req.caller.role !== 'seeker') throw forbidden('Only the integrator and the seeker ask the gate.');
    const reason = gateRefusal(seeker);
    // A seeker who cancelled is asked again (I2: their IDV becomes required, the dashboard prompts them).
    if (reason && idvStatus(seeker.snapshot) === 'cancelled') await host.send(seeker.actor.id, { type: 'GATE_REFUSED' }, { role: 'system' });
    res.json(reason ? { allowed: false, reason } : { allowed: true });
  });

  router.get('/seekers/:id/screening_history', async (req, res) => {
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    staffOrIntegrator(req.caller, 'The screening history is for staff.');
    const page = pageOf(req);
    const attempts = (await screeningHistory(store, seeker.actor.id)).map(({ seeker: _s, ...a }) => a);
    res.json(envelope(req, attempts.slice(page.offset, page.offset + page.per_page), attempts.length, page));
  });

  return router;
}
