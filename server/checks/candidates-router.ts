import { Router } from 'express';
import { z } from 'zod';
import { type CandidateContext, candidate as candidateKind, lockedFields } from '../../machines/candidate.ts';
import type { ReportContext } from '../../machines/report.ts';
import { parse } from '../api/errors.ts';
import { envelope, pageOf, wholeList } from '../api/list.ts';
import type { Caller } from '../runtime/caller.ts';
import { DomainError } from '../runtime/errors.ts';
import { type ActorHost, type Loaded, newActorId } from '../runtime/host.ts';
import { newId } from '../runtime/ids.ts';
import type { Store } from '../store/store.ts';
import { innerId, loadOf, mayRead, mayWrite, missing, ownerOf } from './access.ts';
import { candidateFields, email, present, withoutReadBackSsn } from './inputs.ts';
import { allOf } from './listing.ts';
import { candidateResource, continuousCheckResource, maskSsn, reportResource } from './resources.ts';

/** A new candidate: the fields of CHECKR.md, with `email` required. */
export const createCandidateBody = (today: string) => candidateFields(today).extend({ email });
export const listQuery = z.object({
  email: z.string().max(255).optional(),
  full_name: z.string().max(200).optional(),
  custom_id: z.string().max(100).optional(),
  created_after: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  created_before: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

export const continuousBody = z.object({
  type: z.enum(['criminal', 'mvr']),
  node: z.string().max(100).optional(),
  work_locations: z.array(z.unknown()).max(50).optional(),
});
const includeQuery = z.object({ include: z.literal('reports').optional() });

/** `/v1/candidates` and continuous checks (CHECKR.md "Candidates", "Continuous checks"). */
export function candidatesRouter(host: ActorHost, store: Store) {
  const router = Router();
  const by = { role: 'integrator' };
  const today = () => host.now().slice(0, 10);
  const loadCandidate = (id: string) => loadOf(host, id, 'candidate', 'Candidate not found');

  /** The candidate as Checkr reads it, with its reports embedded on `include=reports`. */
  const shown = async (loaded: Loaded, include: 'reports' | undefined, role: Caller['role']) => {
    const candidate = candidateResource(loaded, role);
    if (include !== 'reports') return candidate;
    const reports = await Promise.all(candidate.report_ids.map((id) => host.load(id)));
    return { ...candidate, reports: reports.filter((r) => r !== undefined).map(reportResource) };
  };

  router.post('/candidates', async (req, res) => {
    mayWrite(req.caller);
    const fields = parse(createCandidateBody(today()), present(req.body), 'candidate');
    const created = await host.create('candidate', fields, by, newActorId(candidateKind));
    res.status(201).json(candidateResource(created));
  });

  router.get('/candidates', async (req, res) => {
    mayRead(req.caller);
    const { include, ...q } = parse(listQuery.extend(includeQuery.shape), req.query, 'query');
    const page = pageOf(req, 'checkr');
    const matches = (await allOf(host, store, 'candidate')).filter((l) => matchesQuery(l, q));
    const data = await Promise.all(matches.slice(page.offset, page.offset + page.per_page).map((l) => shown(l, include, req.caller.role)));
    res.json(envelope(req, data, matches.length, page));
  });

  router.get('/candidates/:id', async (req, res) => {
    mayRead(req.caller);
    const { include } = parse(includeQuery, req.query, 'query');
    res.json(await shown(await loadCandidate(req.params.id), include, req.caller.role));
  });

  router.post('/candidates/:id', async (req, res) => {
    mayWrite(req.caller);
    const { body, readBack } = withoutReadBackSsn(present(req.body));
    const changes = parse(candidateFields(today()), body, 'candidate');
    const loaded = await loadCandidate(req.params.id);
    if (readBack && readBack !== maskSsn((loaded.snapshot.context as CandidateContext).ssn)) throw new DomainError('invalid_request', 'SSN is invalid');
    const locked = lockedFields(loaded.snapshot.context as CandidateContext, changes);
    if (locked.length) throw new DomainError('invalid_request', `${locked.join(', ')} cannot be updated`, { fields: locked });
    res.json(candidateResource(await host.send(loaded.actor.id, { type: 'UPDATE', changes }, by)));
  });

  router.post('/candidates/:id/continuous_checks', async (req, res) => {
    mayWrite(req.caller);
    const body = parse(continuousBody, req.body, 'continuous check');
    const loaded = await loadCandidate(req.params.id);
    const context = loaded.snapshot.context as CandidateContext;
    if (!(await hasCompletedSsnTrace(host, context))) throw new DomainError('ssn_trace_required', 'Candidate must have a completed SSN trace');
    const check = { id: innerId('cck', loaded.actor.id, newId('_', 8)), type: body.type, node: body.node ?? null, work_locations: body.work_locations ?? [] };
    const after = await host.send(loaded.actor.id, { type: 'ENROLL_CONTINUOUS', check }, by);
    res.status(201).json(continuousCheckResource(after.actor.id, checkOf(after, check.id)));
  });

  router.get('/candidates/:id/continuous_checks', async (req, res) => {
    mayRead(req.caller);
    const loaded = await loadCandidate(req.params.id);
    const checks = (loaded.snapshot.context as CandidateContext).continuous_checks.map((c) => continuousCheckResource(loaded.actor.id, c));
    res.json(wholeList(checks));
  });

  router.get('/continuous_checks/:id', async (req, res) => {
    mayRead(req.caller);
    const loaded = await loadOf(host, ownerOf(req.params.id, candidateKind.prefix), 'candidate');
    res.json(continuousCheckResource(loaded.actor.id, checkOf(loaded, req.params.id)));
  });

  router.delete('/continuous_checks/:id', async (req, res) => {
    mayWrite(req.caller);
    const loaded = await loadOf(host, ownerOf(req.params.id, candidateKind.prefix), 'candidate');
    const check = checkOf(loaded, req.params.id);
    await host.send(loaded.actor.id, { type: 'CANCEL_CONTINUOUS', check_id: check.id }, by);
    res.json(continuousCheckResource(loaded.actor.id, check));
  });

  return router;
}

function checkOf(loaded: Loaded, id: string) {
  const found = (loaded.snapshot.context as CandidateContext).continuous_checks.find((c) => c.id === id);
  if (!found) throw missing();
  return found;
}

async function hasCompletedSsnTrace(host: ActorHost, context: CandidateContext): Promise<boolean> {
  for (const id of context.report_ids) {
    const report = await host.load(id);
    const screenings = (report?.snapshot.context as ReportContext | undefined)?.screenings ?? [];
    if (screenings.some((s) => s.type === 'ssn_trace' && s.status === 'complete')) return true;
  }
  return false;
}

function matchesQuery({ actor, snapshot }: Loaded, q: z.infer<typeof listQuery>): boolean {
  const c = snapshot.context as CandidateContext;
  const fullName = [c.first_name, c.middle_name, c.last_name].filter(Boolean).join(' ').toLowerCase();
  if (q.email && c.email.toLowerCase() !== q.email.toLowerCase()) return false;
  if (q.full_name && !fullName.includes(q.full_name.toLowerCase())) return false;
  if (q.custom_id && c.custom_id !== q.custom_id) return false;
  if (q.created_after && actor.created_at <= q.created_after) return false;
  if (q.created_before && actor.created_at >= q.created_before) return false;
  return true;
}
