import express, { type Response, Router } from 'express';
import { z } from 'zod';
import type { CandidateContext } from '../../machines/candidate.ts';
import type { InvitationContext } from '../../machines/invitation.ts';
import { type ReportContext, report as reportKind, reportResult, reportStatus } from '../../machines/report.ts';
import type { Auth } from '../api/auth.ts';
import { SYSTEM } from '../runtime/caller.ts';
import { type ActorHost, type Loaded, newActorId } from '../runtime/host.ts';
import { applyForm, DISCLOSURE_VERSION, FIELDS, messagePage, SUPPLIABLE, statusPage } from './apply-page.ts';
import { candidateFields } from './inputs.ts';
import type { LinkSessions } from './link-session.ts';
import { type Package, requiredFields } from './packages.ts';
import type { PageFollowers } from './page-followers.ts';
import { maskSsn } from './resources.ts';

const consentBody = z.object({
  consent: z.literal('yes', 'Tick the box to authorize the background check'),
  signature: z.string().trim().min(3, 'Sign with your full name').max(200),
  disclosure_version: z.literal(DISCLOSURE_VERSION, 'The disclosure changed; reload the page'),
});

/** The session cookie of one invitation's pages (its path is the invitation's). */
const SESSION = 'tw_apply';

/**
 * The hosted apply form behind an invitation's `invitation_url` (B2) and the candidate's status
 * page (B6). The signed token in the link is the candidate's only credential.
 */
export function applyRouter(host: ActorHost, auth: Auth, sessions: LinkSessions, followers: PageFollowers, packages: Package[], { sandbox = false } = {}) {
  const router = Router();
  router.use('/apply', express.urlencoded({ extended: false, limit: '20kb' }));
  const gone = (res: Response) =>
    res
      .status(404)
      .type('html')
      .send(messagePage('Link not valid', 'This background check link is not valid or has expired. Ask the company that invited you for a new one.'));

  // The link's token is exchanged for a session on arrival, then the page opens without it.
  router.get(['/apply/:id', '/apply/:id/status'], (req, res, next) => {
    if (req.query.t === undefined) return next();
    const claims = typeof req.query.t === 'string' ? auth.verified<{ invitation?: string }>(req.query.t) : undefined;
    if (claims?.invitation !== req.params.id) return void gone(res);
    sessions.exchange(req, res, SESSION, `/apply/${req.params.id}`, { apply_session: req.params.id });
  });

  /** The invitation this browser's session opens, or undefined without one (a wrong or expired link). */
  const invitationOf = async (id: string, req: express.Request): Promise<Loaded | undefined> => {
    if (sessions.read<{ apply_session?: string }>(req, SESSION)?.apply_session !== id) return undefined;
    const loaded = await host.load(id);
    return loaded?.kind.kind === 'invitation' ? loaded : undefined;
  };

  const missingFields = (invitation: InvitationContext, candidate: CandidateContext) => {
    const pkg = packages.find((p) => p.slug === invitation.package);
    const needed = requiredFields(pkg?.screenings ?? []);
    if (!candidate.no_middle_name) needed.splice(1, 0, 'middle_name');
    return needed.filter((f) => candidate[f as keyof CandidateContext] == null).map((f) => FIELDS[f]);
  };

  const known = (c: CandidateContext): [string, string][] =>
    (
      [
        ['Name', [c.first_name, c.middle_name, c.last_name].filter(Boolean).join(' ')],
        ['Email', c.email],
        ['Social Security number', maskSsn(c.ssn) ?? ''],
      ] as [string, string][]
    ).filter(([, v]) => v);

  router.get('/apply/:id', async (req, res) => {
    const invitation = await invitationOf(req.params.id, req);
    if (!invitation) return void gone(res);
    const context = invitation.snapshot.context as InvitationContext;
    if (invitation.actor.status === 'completed') return void res.redirect(303, `/apply/${req.params.id}/status`);
    if (invitation.actor.status !== 'pending') return void gone(res);
    const candidate = (await host.load(context.candidate_id))!.snapshot.context as CandidateContext;
    res.type('html').send(
      applyForm({
        action: req.originalUrl,
        missing: missingFields(context, candidate),
        known: known(candidate),
        values: {},
        errors: {},
        general: [],
        sandbox,
      }),
    );
  });

  router.post('/apply/:id', async (req, res) => {
    const invitation = await invitationOf(req.params.id, req);
    if (invitation?.actor.status !== 'pending') return void gone(res);
    const context = invitation.snapshot.context as InvitationContext;
    const candidate = (await host.load(context.candidate_id))!;
    const candidateContext = candidate.snapshot.context as CandidateContext;
    const missing = missingFields(context, candidateContext);
    const values = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    // Only what was missing may be filled in here; empty inputs stay missing. Each field is
    // checked on its own, so that one wrong field neither hides nor drops the others.
    const schema = candidateFields(host.now().slice(0, 10)).shape;
    const errors: Record<string, string> = {};
    const accepted: Record<string, unknown> = {};
    const offered = [
      ...missing.map((f) => [f.name, values[f.name]?.trim()] as const),
      ...(values.no_middle_name === 'true' ? [['no_middle_name', 'true'] as const] : []),
    ];
    for (const [name, value] of offered) {
      if (!value) continue;
      const one = schema[name as keyof typeof schema].safeParse(value);
      if (one.success) accepted[name] = one.data;
      else errors[name] = one.error.issues[0].message;
    }
    for (const f of missingFields(context, { ...candidateContext, ...accepted })) errors[f.name] ??= `${f.label} is required`;
    const general: string[] = [];
    for (const [name, rule] of Object.entries(consentBody.shape)) {
      const one = rule.safeParse(values[name]);
      if (one.success) continue;
      if (name === 'disclosure_version') general.push(one.error.issues[0].message);
      else errors[name] = one.error.issues[0].message;
    }
    const consent = consentBody.safeParse(values);
    if (consent.success && !signedByCandidate(consent.data.signature, { ...candidateContext, ...accepted }))
      errors.signature = 'Sign with your full name as given above';
    if (!consent.success || Object.keys(errors).length || general.length) {
      return void res
        .status(400)
        .type('html')
        .send(applyForm({ action: req.originalUrl, missing, known: known(candidateContext), values, errors, general, sandbox }));
    }
    if (Object.keys(accepted).length) await host.send(candidate.actor.id, { type: 'UPDATE', changes: accepted }, SYSTEM);
    const signature = { name: consent.data.signature, at: host.now(), disclosure_version: consent.data.disclosure_version };
    await host.send(invitation.actor.id, { type: 'COMPLETE', report_id: newActorId(reportKind), signature }, SYSTEM);
    res.redirect(303, `/apply/${req.params.id}/status`);
  });

  /** What a suspended report's screenings wait for that the candidate can give (B5). */
  const needsOf = (report: Loaded) =>
    [
      ...new Set(
        (report.snapshot.context as ReportContext).screenings
          .filter((s) => s.status === 'suspended')
          .map((s) => SUPPLIABLE[String(s.details.suspension_reason)]),
      ),
    ].filter(Boolean);

  const showStatus = async (req: express.Request, res: Response, invitation: Loaded, errors: string[] = []) => {
    const context = invitation.snapshot.context as InvitationContext;
    const signedAt = context.signature?.at ?? null;
    const report = context.report_id ? await host.load(context.report_id) : undefined;
    if (!report) {
      const status = invitation.actor.status === 'completed' ? 'waiting' : invitation.actor.status;
      return void res.type('html').send(statusPage({ status, result: null, signedAt, running: status === 'waiting' }));
    }
    const status = reportStatus(report.snapshot.value as { screening: string; adjudication: string });
    const result = reportResult(report.snapshot.context as ReportContext, status === 'complete');
    const needs = status === 'suspended' ? { action: req.originalUrl, fields: needsOf(report), errors } : undefined;
    res
      .status(errors.length ? 400 : 200)
      .type('html')
      .send(statusPage({ status, result, signedAt, running: status === 'pending', needs }));
  };

  router.get('/apply/:id/status', async (req, res) => {
    const invitation = await invitationOf(req.params.id, req);
    if (!invitation) return void gone(res);
    await showStatus(req, res, invitation);
  });

  // The status page's changes as server-sent events, for the same session (the page reloads itself on each).
  router.get('/apply/:id/events', async (req, res) => {
    const invitation = await invitationOf(req.params.id, req);
    if (!invitation) return void res.status(404).end();
    const id = invitation.actor.id;
    await followers.follow(res, async () => {
      const reportId = ((await host.load(id))?.snapshot.context as InvitationContext | undefined)?.report_id;
      return reportId ? [id, reportId] : [id];
    });
  });

  // The candidate supplies what a suspended screening waits for; the vendor is told, and the check resumes.
  router.post('/apply/:id/status', async (req, res) => {
    const invitation = await invitationOf(req.params.id, req);
    const reportId = (invitation?.snapshot.context as InvitationContext | undefined)?.report_id;
    const report = reportId ? await host.load(reportId) : undefined;
    if (!invitation || !report || report.actor.status !== 'suspended') return void gone(res);
    const needed = needsOf(report);
    const values = Object.fromEntries(needed.map((f) => [f.name, String((req.body as Record<string, unknown>)[f.name] ?? '').trim()]).filter(([, v]) => v));
    const fields = candidateFields(host.now().slice(0, 10)).safeParse(values);
    const errors = fields.success
      ? needed.filter((f) => !values[f.name]).map((f) => `${f.label} is required`)
      : fields.error.issues.map((i) => `${FIELDS[String(i.path[0])]?.label ?? i.path[0]}: ${i.message}`);
    if (errors.length || !fields.success) return void (await showStatus(req, res, invitation, errors));
    const candidateId = (report.snapshot.context as ReportContext).candidate_id;
    await host.send(candidateId, { type: 'UPDATE', changes: fields.data }, SYSTEM);
    await host.send(report.actor.id, { type: 'CANDIDATE_SUPPLIED' }, SYSTEM);
    res.redirect(303, req.originalUrl);
  });

  return router;
}

/** The e-signature is the candidate's first and last name, typed (case and spacing aside). */
function signedByCandidate(signature: string, candidate: CandidateContext): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(signature).includes(norm(candidate.first_name ?? '')) && norm(signature).includes(norm(candidate.last_name ?? ''));
}
