import { Router } from 'express';
import { z } from 'zod';
import { SYSTEM } from '../runtime/caller.ts';
import { DomainError, forbidden } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { log } from '../log.ts';
import { parseCallback, type IdmeClient } from '../vendors/idme/adapter.ts';
import type { Auth } from './auth.ts';
import { attemptRecord } from '../idv/screening-history.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';

const STATE_TTL_MS = 30 * 60 * 1000;
const startBody = z.object({ return_to: z.string().regex(/^\/[^/\\]/, 'a path on this server').max(200).optional() }).strict();

interface State {
  seeker: string;
  return_to?: string;
}

/**
 * ID.me for CBGC (C4): the seeker is sent to ID.me's authorize page; the OAuth callback comes back
 * here with a signed `state`, the code is exchanged, and the seeker actor learns the outcome. The
 * attempt goes into the seeker's screening history (I11) in the same commit.
 */
export function idmeRouter(host: ActorHost, auth: Auth, idme: IdmeClient) {
  const authenticated = Router();
  authenticated.post('/seekers/:id/idme', async (req, res) => {
    const body = parse(startBody, req.body ?? {}, 'ID.me request');
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    if (req.caller.role !== 'seeker' && req.caller.role !== 'integrator') throw forbidden('Only the seeker verifies their identity.');
    if (seeker.snapshot.context.idme_verified) throw new DomainError('invalid_transition', 'ID.me is already completed for this seeker.');
    const state = auth.signed({ seeker: seeker.actor.id, return_to: body.return_to }, host.clock.now() + STATE_TTL_MS);
    res.json({ authorize_url: idme.authorizeUrl(state) });
  });

  const callback = Router();
  callback.get('/idme/callback', async (req, res) => {
    const state = typeof req.query.state === 'string' ? auth.verified<State>(req.query.state) : undefined;
    if (!state) throw new DomainError('invalid_request', 'The ID.me answer is missing or has an expired state; start again.');
    const answer = parseCallback(req.query as Record<string, unknown>);
    const at = host.now();
    let outcome = 'denied';
    let reference = 'error' in answer ? answer.error : '';
    if ('code' in answer) {
      const result = await idme.complete(answer.code).catch((error: Error) => {
        log.warn({ error: error.message }, 'ID.me exchange failed');
        return { verified: false, reference: '', reason: 'vendor_error' };
      });
      outcome = result.verified ? 'verified' : (result.reason ?? 'not_verified');
      reference = result.reference;
    }
    const attempt = attemptRecord({ seeker: state.seeker, vendor: 'idme', method: 'oauth', outcome, reference, at });
    const applied = outcome === 'verified' && (await host.send(state.seeker, { type: 'IDME_VERIFIED' }, SYSTEM, { records: [attempt] }).then(() => true, refusedOnly));
    if (!applied) await host.record([attempt]);
    const target = state.return_to ?? '/seeker';
    res.redirect(302, `${target}${target.includes('?') ? '&' : '?'}idme=${outcome === 'verified' ? 'verified' : 'denied'}`);
  });

  return { authenticated, callback };
}

/** A seeker that closed, or finished ID.me in another tab meanwhile, still gets the attempt recorded. */
function refusedOnly(error: unknown): false {
  if (error instanceof DomainError) return false;
  throw error;
}
