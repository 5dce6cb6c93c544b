import express, { type Request, Router } from 'express';
import { z } from 'zod';
import type { CandidateContext } from '../../machines/candidate.ts';
import { type ReportContext, reportResult } from '../../machines/report.ts';
import type { ActorHost } from '../runtime/host.ts';
import type { Store } from '../store/store.ts';
import { loadOf, mayWrite } from './access.ts';
import { candidateStatusPage, newLinkPage, type ReportLine } from './candidate-status-page.ts';
import type { LinkSessions } from './link-session.ts';
import { allOf } from './listing.ts';
import type { Package } from './packages.ts';
import type { PageFollowers } from './page-followers.ts';
import type { StatusLinks } from './status-links.ts';

const SESSION = 'tw_status';
const NEW_LINK = '/status/new_link';
const emailBody = z.object({ email: z.string().trim().max(254) });

/** `POST /v1/candidates/{id}/status_link` (integrator) → 201 `{ status_url, expires_at }`. */
export function statusLinkRouter(host: ActorHost, links: StatusLinks) {
  const router = Router();
  router.post('/candidates/:id/status_link', async (req, res) => {
    mayWrite(req.caller);
    const candidate = await loadOf(host, req.params.id, 'candidate', 'Candidate not found');
    res.status(201).json(links.issue(candidate.actor.id));
  });
  return router;
}

/**
 * The candidate's status page behind a status link (B6), and the way to a fresh link once one
 * expired: sent only to the address on file, with an answer that never says whether it exists.
 */
export function candidateStatusPages(host: ActorHost, store: Store, sessions: LinkSessions, links: StatusLinks, followers: PageFollowers, packages: Package[]) {
  const router = Router();
  /** The candidate whose status session the request carries, if it is the one in the path. */
  const sessionCandidate = async (req: Request) => {
    const own = sessions.read<{ status_session?: string }>(req, SESSION)?.status_session === req.params.id;
    const candidate = own ? await host.load(String(req.params.id)) : undefined;
    return candidate?.kind.kind === 'candidate' ? candidate : undefined;
  };
  router.use('/status', express.urlencoded({ extended: false, limit: '2kb' }));

  router.post(NEW_LINK, async (req, res) => {
    const parsed = emailBody.safeParse(req.body);
    const email = parsed.success ? parsed.data.email.toLowerCase() : '';
    if (email) {
      const candidates = await allOf(host, store, 'candidate');
      for (const c of candidates) if ((c.snapshot.context as CandidateContext).email.toLowerCase() === email) await links.email(c.actor.id);
    }
    res.type('html').send(newLinkPage({ action: NEW_LINK, sent: true }));
  });

  router.get('/status/:id', async (req, res) => {
    if (req.query.t !== undefined) {
      if (links.opened(req.query.t) !== req.params.id)
        return void res
          .status(404)
          .type('html')
          .send(newLinkPage({ action: NEW_LINK, sent: false }));
      return void sessions.exchange(req, res, SESSION, `/status/${req.params.id}`, { status_session: req.params.id });
    }
    const candidate = await sessionCandidate(req);
    if (!candidate)
      return void res
        .status(404)
        .type('html')
        .send(newLinkPage({ action: NEW_LINK, sent: false }));
    const reports: ReportLine[] = [];
    for (const id of [...(candidate.snapshot.context as CandidateContext).report_ids].reverse()) {
      const report = await host.load(id);
      if (!report) continue;
      const context = report.snapshot.context as ReportContext;
      const status = report.actor.status;
      const name = packages.find((p) => p.slug === context.package)?.name ?? context.package;
      reports.push({ id, package: name, created_at: context.created_at, status, result: reportResult(context, status === 'complete'), context });
    }
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(candidateStatusPage(candidate.actor.id, reports));
  });

  // The page's changes as server-sent events, for the same session (the page reloads itself on each).
  router.get('/status/:id/events', async (req, res) => {
    const candidate = await sessionCandidate(req);
    if (!candidate) return void res.status(404).end();
    const id = candidate.actor.id;
    await followers.follow(res, async () => [id, ...(((await host.load(id))?.snapshot.context as CandidateContext | undefined)?.report_ids ?? [])]);
  });
  return router;
}
