import { Router } from 'express';
import { z } from 'zod';
import { attemptRecord } from '../idv/screening-history.ts';
import { log } from '../log.ts';
import { SYSTEM } from '../runtime/caller.ts';
import { DomainError, forbidden } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { type IdmeClient, parseCallback } from '../vendors/idme/adapter.ts';
import { loadVisible } from './access.ts';
import type { Auth } from './auth.ts';
import { parse } from './errors.ts';

const STATE_TTL_MS = 30 * 60 * 1000;
/** OAuth's error codes (RFC 6749 §4.1.2.1): what a callback's `error` may store; anything else is stored as `invalid_request`. */
const OAUTH_ERRORS = new Set([
  'access_denied',
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
]);
export const startBody = z
  .object({
    return_to: z
      .string()
      .regex(/^\/[^/\\]/, 'a path on this server')
      .max(200)
      .optional(),
  })
  .strict();

interface State {
  seeker: string;
  attempt: string;
  return_to?: string;
}

/**
 * ID.me for CBGC (C4): the seeker is sent to ID.me's authorize page; the OAuth callback comes back
 * here with a signed `state`, the code is exchanged, and the seeker actor learns the outcome. The
 * attempt goes into the seeker's screening history (I11) in the same commit.
 *
 * A `state` is good for one callback of the seeker's latest attempt: each start replaces the
 * seeker's open attempt (kept in memory; after a restart the seeker starts again), and its
 * callback closes it, so nobody replays a state to fill the history staff read.
 */
export function idmeRouter(
  host: ActorHost,
  auth: Auth,
  idme: IdmeClient,
  counted: <T>(vendor: string, call: () => Promise<T>) => Promise<T> = (_vendor, call) => call(),
) {
  const open = new Map<string, { attempt: string; expiresAt: number }>();
  /** Closes the seeker's open attempt if `state` names it; false when it was closed, replaced or expired. */
  const close = (state: State) => {
    const current = open.get(state.seeker);
    if (!current || current.attempt !== state.attempt) return false;
    open.delete(state.seeker);
    return current.expiresAt > host.clock.now();
  };

  const authenticated = Router();
  authenticated.post('/seekers/:id/idme', async (req, res) => {
    const body = parse(startBody, req.body ?? {}, 'ID.me request');
    const seeker = await loadVisible(host, req.caller, req.params.id, 'seeker');
    if (req.caller.role !== 'seeker' && req.caller.role !== 'integrator') throw forbidden('Only the seeker verifies their identity.');
    if (seeker.snapshot.context.idme_verified) throw new DomainError('invalid_transition', 'ID.me is already completed for this seeker.');
    const expiresAt = host.clock.now() + STATE_TTL_MS;
    const attempt = crypto.randomUUID();
    for (const [id, entry] of open) if (entry.expiresAt <= host.clock.now()) open.delete(id);
    open.set(seeker.actor.id, { attempt, expiresAt });
    const state = auth.signed({ seeker: seeker.actor.id, attempt, return_to: body.return_to }, expiresAt);
    res.json({ authorize_url: idme.authorizeUrl(state) });
  });

  const callback = Router();
  callback.get('/idme/callback', async (req, res) => {
    const state = typeof req.query.state === 'string' ? auth.verified<State>(req.query.state) : undefined;
    if (!state || typeof state.attempt !== 'string' || !close(state)) {
      throw new DomainError('invalid_request', 'The ID.me answer is missing, was already used or has an expired state; start again.');
    }
    const answer = parseCallback(req.query as Record<string, unknown>);
    const at = host.now();
    let outcome = 'denied';
    let reference = 'error' in answer ? (OAUTH_ERRORS.has(answer.error) ? answer.error : 'invalid_request') : '';
    if ('code' in answer) {
      const result = await counted('idme', () => idme.complete(answer.code)).catch((error: Error) => {
        log.warn({ error: error.message }, 'ID.me exchange failed');
        return { verified: false, reference: '', reason: 'vendor_error' };
      });
      outcome = result.verified ? 'verified' : (result.reason ?? 'not_verified');
      reference = result.reference;
    }
    const attempt = attemptRecord({ seeker: state.seeker, vendor: 'idme', method: 'oauth', outcome, reference, at });
    const applied =
      outcome === 'verified' && (await host.send(state.seeker, { type: 'IDME_VERIFIED' }, SYSTEM, { records: [attempt] }).then(() => true, refusedOnly));
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
