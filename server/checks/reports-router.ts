import { Router } from 'express';
import { z } from 'zod';
import type { CandidateContext } from '../../machines/candidate.ts';
import { report as reportKind, type ReportContext, type Screening } from '../../machines/report.ts';
import { parse } from '../api/errors.ts';
import { iso } from '../runtime/clock.ts';
import { DomainError } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import { innerId, loadOf, mayRead, mayWrite, missing, ownerOf } from './access.ts';
import { tags } from './inputs.ts';
import { requiredFields, type Package } from './packages.ts';
import { createReport, pendingScreenings } from './report-factory.ts';
import { adverseActionResource, candidateResource, reportResource, screeningCollections, screeningResource } from './resources.ts';
import type { StatusLinks } from './status-links.ts';

const DAY = 24 * 60 * 60 * 1000;
const createBody = z
  .object({ package: z.string().min(1).max(64), candidate_id: z.string().min(1).max(64), node: z.string().max(100).optional(), work_locations: z.array(z.unknown()).max(50).optional(), tags: tags.optional() })
  .strict();
const updateBody = z.union([z.object({ package: z.string().min(1).max(64) }).strict(), z.object({ adjudication: z.literal('engaged') }).strict()]);
const adverseBody = z.object({ adverse_item_ids: z.array(z.string().max(64)).min(1).max(100), post_notice_scheduled_at: z.iso.datetime({ offset: true }).optional() }).strict();
const includeQuery = z.object({ include: z.string().max(500).optional() });

/** `/v1/reports`, screenings, adverse actions (CHECKR.md "Reports", "Screenings", "Adverse actions"). */
export function reportsRouter(host: ActorHost, packages: Package[], adverseWaitMs: number, statusLinks: StatusLinks) {
  const router = Router();
  const by = { role: 'integrator' };
  const loadReport = (id: string) => loadOf(host, id, 'report');
  const packageOf = (slug: string) => {
    const found = packages.find((p) => p.slug === slug);
    if (!found) throw missing('Package not found');
    return found;
  };

  router.post('/reports', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(createBody, req.body, 'report');
    const pkg = packageOf(body.package);
    const candidate = await loadOf(host, body.candidate_id, 'candidate', 'Candidate not found');
    const context = candidate.snapshot.context as CandidateContext;
    requireFields(context, pkg);
    await refuseDuplicates(host, context);
    const created = await createReport(host, { candidate_id: candidate.actor.id, package: pkg.slug, screenings: pkg.screenings, source: 'api', tags: body.tags }, by);
    // B6: without an invitation, the candidate learns of the check, and where to follow it, by email.
    await statusLinks.email(candidate.actor.id, created.actor.id);
    res.status(200).json(reportResource(created));
  });

  router.get('/reports/:id', async (req, res) => {
    mayRead(req.caller);
    const { include } = parse(includeQuery, req.query, 'query');
    const loaded = await loadReport(req.params.id);
    res.json({ ...reportResource(loaded), ...(await included(host, loaded, include)) });
  });

  router.post('/reports/:id', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(updateBody, req.body, 'report update');
    const loaded = await loadReport(req.params.id);
    if ('adjudication' in body) return void res.json(reportResource(await host.send(loaded.actor.id, { type: 'ENGAGE' }, by)));
    const context = loaded.snapshot.context as ReportContext;
    const pkg = packageOf(body.package);
    const added = pkg.screenings.filter((type) => !context.screenings.some((s) => s.type === type));
    const candidate = await loadOf(host, context.candidate_id, 'candidate', 'Candidate not found');
    requireFields(candidate.snapshot.context as CandidateContext, pkg);
    const upgraded = await host.send(loaded.actor.id, { type: 'UPGRADE', package: pkg.slug, screenings: pendingScreenings(loaded.actor.id, added) }, by);
    res.json(reportResource(upgraded));
  });

  router.post('/reports/:id/complete', async (req, res) => {
    mayWrite(req.caller);
    const loaded = await loadReport(req.params.id);
    res.json(reportResource(await host.send(loaded.actor.id, { type: 'COMPLETE_NOW' }, by)));
  });

  router.get('/reports/:id/adverse_items', async (req, res) => {
    mayRead(req.caller);
    const items = adverseItems(await loadReport(req.params.id));
    res.json({ data: items, object: 'list', next_href: null, previous_href: null, count: items.length });
  });

  router.post('/reports/:id/adverse_actions', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(adverseBody, req.body, 'adverse action');
    const loaded = await loadReport(req.params.id);
    const context = loaded.snapshot.context as ReportContext;
    // Whether adverse action may start is the machine's rule; which items it names is this request's.
    const items = adverseItems(loaded);
    const unknown = body.adverse_item_ids.find((id) => !items.some((i) => i.id === id));
    if (unknown && items.length > 0) throw missing(`Adverse item ${unknown} not found`);
    const adverse_items = items.filter((i) => body.adverse_item_ids.includes(i.id));
    const adverse_action = {
      id: innerId('aa', loaded.actor.id, `_${context.adverse_actions.length + 1}`),
      adverse_items,
      post_notice_scheduled_at: body.post_notice_scheduled_at ? iso(Date.parse(body.post_notice_scheduled_at)) : iso(Date.parse(host.now()) + adverseWaitMs),
    };
    const after = await host.send(loaded.actor.id, { type: 'PRE_ADVERSE_ACTION', adverse_action }, by);
    res.status(200).json(adverseActionResource(after.actor.id, actionOf(after, adverse_action.id)));
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
    r.charges?.length ? r.charges.map((c) => `${c.charge ?? 'Charge'} (${c.disposition ?? 'no disposition'}), case ${r.case_number ?? 'unknown'}`) : [`Record, case ${r.case_number ?? 'unknown'}`],
  );
}

/** Checkr's `include`: the report with its screenings (and candidate) embedded. */
async function included(host: ActorHost, loaded: Loaded, include: string | undefined) {
  const context = loaded.snapshot.context as ReportContext;
  const names = (include ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (name === 'candidate') {
      const candidate = await host.load(context.candidate_id);
      out.candidate = candidate ? candidateResource(candidate) : null;
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
