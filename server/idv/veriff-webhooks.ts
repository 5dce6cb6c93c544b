import express, { Router } from 'express';
import { seeker as seekerKind } from '../../machines/seeker.ts';
import { DomainError } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { parseDecision, parseEvent, verifySignature } from '../vendors/veriff/adapter.ts';
import { attemptRecord } from './screening-history.ts';
import { answer } from './vendor-answers.ts';

/**
 * Veriff's decision and event webhooks. Each is signed over its raw body with a shared secret
 * (VENDORS.md): an unsigned or forged one is refused and changes nothing. Veriff retries until it
 * gets a 200, and nothing in a webhook is timestamped, so the seeker's machine applies each
 * (session, attempt) decision once and answers a replay with 200 all the same.
 */
export function veriffWebhooks(host: ActorHost, secrets: string[]) {
  const router = Router();
  const signed = (req: express.Request): unknown => {
    if (!Buffer.isBuffer(req.body) || !verifySignature(req.body, req.get('x-hmac-signature'), secrets)) {
      throw new DomainError('unauthorized', 'The webhook signature does not match.');
    }
    try {
      return JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new DomainError('invalid_request', 'The webhook body is not JSON.');
    }
  };
  const seekerOf = (vendorData: unknown) => (typeof vendorData === 'string' && vendorData.startsWith(seekerKind.prefix) ? vendorData : undefined);
  const raw = express.raw({ type: () => true, limit: '256kb' });

  router.post('/vendors/veriff/decisions', raw, async (req, res) => {
    const decision = parseDecision(signed(req));
    if (!decision) throw new DomainError('invalid_request', 'Not a Veriff decision.');
    const seeker = seekerOf(decision.vendorData);
    if (seeker && (await host.load(seeker))) {
      const attempt = attemptRecord({
        seeker,
        vendor: 'veriff',
        method: 'document_selfie',
        outcome: decision.status,
        reference: decision.sessionId,
        at: host.now(),
      });
      const event = {
        type: 'VERIFF_DECISION',
        session_id: decision.sessionId,
        attempt_id: decision.attemptId,
        status: decision.status,
        ...(decision.reason ? { reason: String(decision.reason) } : {}),
      };
      await answer(host, seeker, event, { record: attempt, made: false });
    }
    res.json({ received: true });
  });

  router.post('/vendors/veriff/events', raw, async (req, res) => {
    const event = parseEvent(signed(req));
    if (!event) throw new DomainError('invalid_request', 'Not a Veriff event.');
    const seeker = seekerOf(event.vendorData);
    if (seeker && event.action === 'submitted' && (await host.load(seeker)))
      await answer(host, seeker, { type: 'VERIFF_SUBMITTED', session_id: event.sessionId });
    res.json({ received: true });
  });

  return router;
}
