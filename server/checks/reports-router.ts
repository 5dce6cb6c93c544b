import { Router } from 'express';
import { z } from 'zod';
import type { CandidateContext } from '../../machines/candidate.ts';
import { type ReportContext, report as reportKind, type Screening } from '../../machines/report.ts';
import { parse } from '../api/errors.ts';
import { wholeList } from '../api/list.ts';
import type { Caller } from '../runtime/caller.ts';
import { iso } from '../runtime/clock.ts';
import { DomainError } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import { innerId, loadOf, mayRead, mayWrite, missing, ownerOf } from './access.ts';
import type { Estimator } from './eta.ts';
import { orderBody, present } from './inputs.ts';
import type { PackageCatalog } from './package-catalog.ts';
import { type Package, requiredFields } from './packages.ts';
import { createReport, pendingScreenings } from './report-factory.ts';
import { adverseActionResource, candidateResource, etaResource, reportResource, screeningCollections, screeningResource } from './resources.ts';
import type { StatusLinks } from './status-links.ts';

const DAY = 24 * 60 * 60 * 1000;
// Keys these bodies do not name are ignored, as Checkr does (whole reports sent back, `report_id` repeated).
export const createBody = orderBody;
export const updateBody = z.object({
  package: z.string().min(1).max(64).optional(),
  adjudication: z.enum(['engaged', 'pre_adverse_action', 'post_adverse_action']).optional(),
});
export const adverseBody = z.object({
  adverse_item_ids: z.array(z.string().max(64)).min(1).max(100),
  post_notice_scheduled_at: z.iso.datetime({ offset: true }).optional(),
});
export const includeQuery = z.object({ include: z.string().max(500).optional() });

/** `/v1/reports`, screenings, adverse actions (CHECKR.md "Reports", "Screenings", "Adverse actions"). */
export function reportsRouter(host: ActorHost, catalog: PackageCatalog, settings: { adverseWaitMs: number; estimate: Estimator }, statusLinks: StatusLinks) {
  const router = Router();
  const by = { role: 'integrator' };
  const loadReport = (id: string) => loadOf(host, id, 'report');

  router.post('/reports', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(createBody, present(req.body), 'report');
    const pkg = await catalog.find(body.package);
    const candidate = await loadOf(host, body.candidate_id, 'candidate', 'Candidate not found');
    const context = candidate.snapshot.context as CandidateContext;
    requireFields(context, pkg);
    await refuseDuplicates(host, context);
    const eta = settings.estimate(pkg.screenings, host.now());
    const created = await createReport(
      host,
      { candidate_id: candidate.actor.id, package: pkg.slug, screenings: pkg.screenings, source: 'api', tags: body.tags, eta },
      by,
    );
    // B6: without an invitation, the candidate learns of the check, and where to follow it, by email.
    await statusLinks.email(candidate.actor.id, created.actor.id);
    res.status(200).json(reportResource(created));
  });

  router.get('/reports/:id', async (req, res) => {
    mayRead(req.caller);
    const { include } = parse(includeQuery, req.query, 'query');
    const loaded = await loadReport(req.params.id);
    res.json({ ...reportResource(loaded), ...(await included(host, loaded, include, req.caller.role)) });
  });

  /**
   * An update is an adjudication (`engaged`) or an upgrade (`package`). A client sending the
   * report back whole also repeats what it read: the adjudication it already has and the package
   * it runs are no change, and a body with no change answers the report as it is.
   */
  router.post('/reports/:id', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(updateBody, present(req.body), 'report update');
    const loaded = await loadReport(req.params.id);
    const context = loaded.snapshot.context as ReportContext;
    const read = reportResource(loaded);
    const engage = body.adjudication !== undefined && body.adjudication !== read.adjudication;
    const upgrade = body.package !== undefined && (body.package !== context.package || !engage);
    if (engage && body.adjudication !== 'engaged')
      throw new DomainError('invalid_request', 'Invalid report update: adjudication: only engaged may be set; adverse actions have their own routes');
    if (engage && upgrade) throw new DomainError('invalid_request', 'Engage a report or upgrade its package, one at a time');
    if (engage) return void res.json(reportResource(await host.send(loaded.actor.id, { type: 'ENGAGE' }, by)));
    if (!upgrade) return void res.json(read);
    const pkg = await catalog.find(body.package!);
    const added = pkg.screenings.filter((type) => !context.screenings.some((s) => s.type === type));
    const candidate = await loadOf(host, context.candidate_id, 'candidate', 'Candidate not found');
    requireFields(candidate.snapshot.context as CandidateContext, pkg);
    const screenings = pendingScreenings(loaded.actor.id, added);
    const upgraded = await host.send(loaded.actor.id, { type: 'UPGRADE', package: pkg.slug, screenings, eta: settings.estimate(added, host.now()) }, by);
    res.json(reportResource(upgraded));
  });

  router.post('/reports/:id/complete', async (req, res) => {
    mayWrite(req.caller);
    const loaded = await loadReport(req.params.id);
    res.json(reportResource(await host.send(loaded.actor.id, { type: 'COMPLETE_NOW' }, by)));
  });

  router.get('/reports/:id/eta', async (req, res) => {
    mayRead(req.caller);
    res.json(etaResource(await loadReport(req.params.id)));
  });

  router.get('/reports/:id/adverse_items', async (req, res) => {
    mayRead(req.caller);
    const items = adverseItems(await loadReport(req.params.id));
    res.json(wholeList(items));
  });

  router.post('/reports/:id/adverse_actions', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(adverseBody, present(req.body), 'adverse action');
    const loaded = await loadReport(req.params.id);
    const context = loaded.snapshot.context as ReportContext;
    // Whether adverse action may start is the machine's rule; which items it names is this request's.
    const items = adverseItems(loaded);
    const unknown = body.adverse_item_ids.find((id) => !items.some((i) => i.id === id));
    if (unknown && items.length > 0) throw missing(`Adverse item ${unknown} not found`);
    const adverse_items = items.filter((i) => body.adverse_item_ids.includes(i.id));
    // The post notice may go once the waiting period ends (B5), or later if so scheduled.
    const ready = iso(Date.parse(host.now()) + settings.adverseWaitMs);
    const adverse_action = {
      id: innerId('aa', loaded.actor.id, `_${context.adverse_actions.length + 1}`),
      adverse_items,
      post_notice_scheduled_at: body.post_notice_scheduled_at ? iso(Date.parse(body.post_notice_scheduled_at)) : ready,
      post_notice_ready_at: ready,
    };
    const after = await host.send(loaded.actor.id, { type: 'PRE_ADVERSE_ACTION', adverse_action }, by);
    res.status(200).json(adverseActionResource(after.actor.id, actionOf(after, adverse_action.id)));
  });

  router.get('/reports/:id/adverse_actions', async (req, res) => {
    mayRead(req.caller);
    const loaded = await loadReport(req.params.id);
    const actions = (loaded.snapshot.context as ReportContext).adverse_actions.map((a) => adverseActionResource(loaded.actor.id, a));
    res.json(wholeList(actions));
  });

  router.get('/adverse_actions/:id', async (req, res) => {
    mayRead(req.caller);
    const loaded = await loadReport(ownerOf(req.params.id, reportKind.prefix));
    res.json(adverseActionResource(loaded.actor.id, actionOf(loaded, req.params.id)));
  });

  router.delete('/adverse_actions/:id', async (req, res) => {
    mayWrite(req.caller);
    const loaded = await loadReport(ownerOf(req.params.id, reportKind.prefix));
    actionOf(loaded, req.params.id);
    const after = await host.send(loaded.actor.id, { type: 'CANCEL_ADVERSE_ACTION', adverse_action_id: req.params.id }, by);
    res.json(adverseActionResource(after.actor.id, actionOf(after, req.params.id)));
  });

  for (const [type, collection] of screeningCollections) {
    router.get(`/${collection}/:id`, async (req, res) => {
      mayRead(req.caller);
      const loaded = await loadReport(ownerOf(req.params.id, reportKind.prefix));
      const screening = (loaded.snapshot.context as ReportContext).screenings.find((s) => s.id === req.params.id && s.type === type);
      if (!screening) throw missing();
      res.json(screeningResource(screening));
    });
  }

  return router;
}

/** CHECKR.md: what a report needs of its candidate, checked when the report is created. */
function requireFields(candidate: CandidateContext, pkg: Package) {
  const absent = requiredFields(pkg.screenings).filter((f) => candidate[f as keyof CandidateContext] == null);
  if (!candidate.middle_name && !candidate.no_middle_name) absent.push('middle_name or no_middle_name');
  if (absent.includes('driver_license_number') || absent.includes('driver_license_state')) {
    throw new DomainError('invalid_request', `Candidate must have a driver license number and a driver license state for the package ${pkg.slug}`);
  }
  if (absent.length) throw new DomainError('invalid_request', `Candidate must have ${absent.join(', ')} for the package ${pkg.slug}`, { fields: absent });
}

async function refuseDuplicates(host: ActorHost, candidate: CandidateContext) {
  const dayAgo = iso(Date.parse(host.now()) - DAY);
  const recent = await Promise.all(candidate.report_ids.map((id) => host.load(id)));
  if (recent.filter((r) => r && r.actor.created_at > dayAgo).length >= 3) {
    throw new DomainError('duplicate_report', 'Duplicate report detected. No more than 3 reports per candidate can be created within a 24 hour period');
  }
}

function actionOf(loaded: Loaded, id: string) {
  const found = (loaded.snapshot.context as ReportContext).adverse_actions.find((a) => a.id === id);
  if (!found) throw missing();
  return found;
}

/** One adverse item per charge of a `consider` screening (or per record without charges). */
function adverseItems(loaded: Loaded) {
  const texts = (loaded.snapshot.context as ReportContext).screenings
    .filter((s) => s.status === 'complete' && s.result === 'consider')
    .flatMap((s) => recordTexts(s));
  return texts.map((text, i) => ({ id: innerId('ai', loaded.actor.id, `_${i + 1}`), object: 'adverse_item' as const, text }));
}

function recordTexts(screening: Screening): string[] {
  const records = (screening.details.records as { case_number?: string; charges?: { charge?: string; disposition?: string }[] }[] | undefined) ?? [];
  return records.flatMap((r) =>
    r.charges?.length
      ? r.charges.map((c) => `${c.charge ?? 'Charge'} (${c.disposition ?? 'no disposition'}), case ${r.case_number ?? 'unknown'}`)
      : [`Record, case ${r.case_number ?? 'unknown'}`],
  );
}

/** Checkr's `include`: the report with its screenings (and candidate) embedded. */
async function included(host: ActorHost, loaded: Loaded, include: string | undefined, role: Caller['role']) {
  const context = loaded.snapshot.context as ReportContext;
  const names = (include ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (name === 'candidate') {
      const candidate = await host.load(context.candidate_id);
      out.candidate = candidate ? candidateResource(candidate, role) : null;
      continue;
    }
    const entry = screeningCollections.find(([type, collection]) => name === type || name === collection);
    if (!entry) throw new DomainError('invalid_request', `Unknown include ${name}`);
    const [type, collection] = entry;
    const screenings = context.screenings.filter((s) => s.type === type).map(screeningResource);
    if (type === 'county_criminal_search') out[collection] = screenings;
    else out[type] = screenings[0] ?? null;
  }
  return out;
}
