import express, { Router } from 'express';
import type { CandidateContext } from '../../machines/candidate.ts';
import { candidate as candidateKind } from '../../machines/candidate.ts';
import { type LinkContext, link as linkKind } from '../../machines/link.ts';
import type { ScreeningUpdate } from '../../machines/report.ts';
import type { Auth } from '../api/auth.ts';
import { SYSTEM } from '../runtime/caller.ts';
import { DomainError, notAccepted } from '../runtime/errors.ts';
import { type ActorHost, newActorId } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { parseCallback, type SterlingClient } from '../vendors/sterling/adapter.ts';
import type { Monitored } from './monitoring.ts';
import { createReport } from './report-factory.ts';

const TEN_YEARS = 10 * 365 * 24 * 60 * 60 * 1000;

/** A record's report is named by the vendor's screening: a repeated callback finds the report it made. */
const reportIdOf = (screeningId: string) => `rpt_${screeningId.replaceAll('-', '').slice(0, 24)}`;

/**
 * Sterling's callbacks (VENDORS.md: unsigned, so the URL carries a token we signed, and every
 * callback is only a hint: the screening is read again from Sterling before anything changes).
 * A screening we ordered updates its report (B4); an alert for a monitored provider becomes a
 * `continuous_check` report delivered to the link that monitors them (C12, B8).
 */
export function sterlingCallback(host: ActorHost, store: Store, auth: Auth, sterling: SterlingClient) {
  const router = Router();

  const applyScreening = async (reportId: string, screeningId: string) => {
    const screenings = await updatesOf(sterling, screeningId);
    await host.send(reportId, { type: 'VENDOR_UPDATE', screenings }, SYSTEM).catch(ignoreRefusal);
  };

  const recordFound = async (linkId: string, screeningId: string) => {
    const link = await host.load(linkId);
    // A link that ended since is no longer monitoring: the record reaches nobody through it.
    if (link?.actor.status !== 'active') return;
    const context = link.snapshot.context as LinkContext;
    const results = (await updatesOf(sterling, screeningId)).filter((s) => s.status === 'complete');
    const candidateId = await candidateOfProvider(host, store, context.provider_id);
    const report = await createReport(host, {
      id: reportIdOf(screeningId),
      candidate_id: candidateId,
      package: 'continuous_check',
      screenings: results.map((r) => r.type),
      source: 'continuous_check',
      members: [context.seeker_id],
      results,
    });
    await host.send(linkId, { type: 'RECORD_FOUND', report_id: report.actor.id }, SYSTEM).catch(ignoreRefusal);
  };

  // B8: a candidate's continuous check found a record: a report, only while the check is enrolled.
  const checkFound = async ({ actor, monitoring }: Monitored, screeningId: string) => {
    const candidate = await host.load(actor);
    if (!(candidate?.snapshot.context as CandidateContext | undefined)?.continuous_checks.some((c) => c.id === monitoring)) return;
    const results = (await updatesOf(sterling, screeningId)).filter((s) => s.status === 'complete');
    await createReport(host, {
      id: reportIdOf(screeningId),
      candidate_id: actor,
      package: 'continuous_check',
      screenings: results.map((r) => r.type),
      source: 'continuous_check',
      results,
    });
  };

  router.post('/vendors/sterling/callback/:token', express.json({ limit: '256kb' }), async (req, res) => {
    if (auth.verified<{ callback?: string }>(req.params.token)?.callback !== 'sterling') throw new DomainError('not_found', 'No such callback.');
    const callback = parseCallback(req.body);
    if (!callback) throw new DomainError('invalid_request', 'Not a Sterling screening callback.');
    const ordered = (await store.getRecord('vendor_screenings', callback.screeningId)) as { report: string } | undefined;
    const monitored = (await store.getRecord('monitoring_candidates', callback.candidateId)) as Monitored | undefined;
    if (ordered) await applyScreening(ordered.report, callback.screeningId);
    else if (monitored?.actor.startsWith(linkKind.prefix)) await recordFound(monitored.actor, callback.screeningId);
    else if (monitored) await checkFound(monitored, callback.screeningId);
    else throw new DomainError('not_found', 'Unknown screening.');
    res.json({ received: true });
  });

  return router;
}

/** Where Sterling calls back: a URL carrying a token we signed (Sterling does not sign its callbacks). */
export const sterlingCallbackUrl = (auth: Auth, self: string, nowMs: number) =>
  `${self}/v1/vendors/sterling/callback/${auth.signed({ callback: 'sterling' }, nowMs + TEN_YEARS)}`;

async function updatesOf(sterling: SterlingClient, screeningId: string): Promise<ScreeningUpdate[]> {
  const result = await sterling.screeningResult(screeningId);
  return result.items.map(({ vendor_item_id: _id, type, status, result: outcome, completed_at, ...details }) => ({
    type,
    status,
    result: outcome,
    completed_at,
    details,
  }));
}

/** The candidate a monitored provider is checked as: created once, remembered in `provider_candidates`. */
async function candidateOfProvider(host: ActorHost, store: Store, providerId: string): Promise<string> {
  const known = (await store.getRecord('provider_candidates', providerId)) as { candidate: string } | undefined;
  if (known) return known.candidate;
  const provider = await host.load(providerId);
  if (!provider) throw new Error(`provider ${providerId} not found`);
  const { email, first_name, last_name } = provider.snapshot.context as CandidateContext;
  const created = await host.create('candidate', { email, first_name, last_name, provider_id: providerId }, SYSTEM, newActorId(candidateKind));
  await host.record([{ collection: 'provider_candidates', id: providerId, value: { candidate: created.actor.id } }]);
  return created.actor.id;
}

/** Vendor callbacks repeat: an update the report or link no longer accepts has nothing left to do. */
function ignoreRefusal(error: unknown) {
  if (notAccepted(error)) return;
  throw error;
}
