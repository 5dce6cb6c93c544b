import { Router } from 'express';
import { z } from 'zod';
import type { BackgroundCheck } from '../../contract/index.ts';
import type { CandidateContext } from '../../machines/candidate.ts';
import { type ReportContext, reportResult } from '../../machines/report.ts';
import { parse } from '../api/errors.ts';
import { notFound } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { commitOf, type Store } from '../store/store.ts';
import { loadOf, mayWrite } from './access.ts';

/** Which candidate's checks a provider's profile shows (seed 000: pass the status to the end users who benefit from it). */
interface ProviderCheck {
  provider_id: string;
  candidate_id: string;
  at: string;
}

const COLLECTION = 'provider_checks';
export const tieBody = z.object({ candidate_id: z.string().min(1).max(64) }).strict();

/** The badge of the latest report of the provider's candidate; null before there is one. */
export async function backgroundCheckOf(host: ActorHost, store: Store, providerId: string): Promise<BackgroundCheck | null> {
  const tie = (await store.getRecord(COLLECTION, providerId)) as ProviderCheck | undefined;
  const candidate = tie && (await host.load(tie.candidate_id));
  const latest = (candidate?.snapshot.context as CandidateContext | undefined)?.report_ids.at(-1);
  const report = latest ? await host.load(latest) : undefined;
  if (!report) return null;
  const context = report.snapshot.context as ReportContext;
  return { status: report.actor.status, result: reportResult(context, report.actor.status === 'complete'), completed_at: context.completed_at };
}

/** `POST /v1/providers/{id}/background_check { candidate_id }` (integrator): ties a provider to the candidate checked for them. */
export function backgroundBadgeRouter(host: ActorHost, store: Store, profile: (providerId: string) => Promise<unknown>) {
  const router = Router();
  router.post('/providers/:id/background_check', async (req, res) => {
    const body = parse(tieBody, req.body, 'background check');
    const provider = await host.load(req.params.id);
    if (provider?.kind.kind !== 'provider') throw notFound('provider');
    await loadOf(host, body.candidate_id, 'candidate', 'Candidate not found');
    mayWrite(req.caller);
    const tie: ProviderCheck = { provider_id: provider.actor.id, candidate_id: body.candidate_id, at: host.now() };
    await store.commit(commitOf({ records: [{ collection: COLLECTION, id: provider.actor.id, value: tie }] }));
    res.json(await profile(provider.actor.id));
  });
  return router;
}
