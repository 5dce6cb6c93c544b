import { Router } from 'express';
import { z } from 'zod';
import { loadVisible } from '../api/access.ts';
import { parse } from '../api/errors.ts';
import { envelope, pageOf } from '../api/list.ts';
import type { EscalationRules } from '../checks/escalation.ts';
import { type By, type Caller, isStaff, staffOrIntegrator } from '../runtime/caller.ts';
import { DomainError, forbidden, notFound } from '../runtime/errors.ts';
import type { ActorHost } from '../runtime/host.ts';
import { Mailboxes } from '../runtime/mailbox.ts';
import type { Sealer } from '../runtime/seal.ts';
import { commitOf, type Store } from '../store/store.ts';
import { type Case, caseCommit, findCases, getCase, newCase, withComment } from './cases.ts';

/** The queues of API.md "Staff". */
export const QUEUES = ['idv_failures', 'member_care_escalations', 'refunds', 'concerns', 'escalations', 'manual'] as const;

export const listQuery = z.object({
  queue: z.string().max(64).optional(),
  status: z.enum(['open', 'resolved']).optional(),
  subject: z.string().max(64).optional(),
});
export const createBody = z
  .object({ subject: z.string().min(1).max(64), queue: z.string().min(1).max(64), summary: z.string().trim().min(1).max(2000) })
  .strict();
export const commentBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
export const updateBody = z
  .object({
    assignee: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a staff id')
      .nullable()
      .optional(),
    status: z.enum(['open', 'resolved']).optional(),
  })
  .strict()
  .refine((b) => b.assignee !== undefined || b.status !== undefined, 'give an assignee or a status');

const byOf = (caller: Caller): By => (caller.role === 'integrator' ? { role: 'integrator' } : { role: caller.role, subject: caller.subject });

/**
 * The case queues (API.md "Staff"): opened automatically (I12, C12, B7, I13) or by a reviewer,
 * commented with hashtags, assigned and resolved by staff. Changes to one case run one at a time.
 */
export function casesRouter(host: ActorHost, store: Store, sealer: Sealer, outboxAdded: () => void, rules: EscalationRules) {
  const router = Router();
  const mailboxes = new Mailboxes();

  const save = async (c: Case, created: boolean) => {
    await sealer.load(c.subject);
    await store.commit(commitOf(caseCommit(c, sealer, created)));
    outboxAdded();
    return c;
  };
  const change = (id: string, edit: (c: Case) => Case) =>
    mailboxes.run(id, async () => {
      const found = await getCase(store, sealer, id);
      if (!found) throw notFound('case');
      return save(edit(found), false);
    });

  router.get('/cases', async (req, res) => {
    staffOrIntegrator(req.caller, 'Cases are for staff.');
    const filter = parse(listQuery, req.query, 'query');
    const page = pageOf(req);
    const cases = await findCases(store, sealer, filter);
    res.json(envelope(req, cases.slice(page.offset, page.offset + page.per_page), cases.length, page));
  });

  router.get('/cases/:id', async (req, res) => {
    staffOrIntegrator(req.caller, 'Cases are for staff.');
    const found = await getCase(store, sealer, req.params.id);
    if (!found) throw notFound('case');
    res.json(found);
  });

  // I12: reviewers open cases by hand.
  router.post('/cases', async (req, res) => {
    const body = parse(createBody, req.body, 'case');
    // Queues named by escalation rules are case queues too (API.md "Added in wave 2").
    const queues = new Set<string>([...QUEUES, ...(await rules.list()).map((r) => r.queue)]);
    if (!queues.has(body.queue)) {
      const message = `one of ${[...queues].join(', ')}`;
      throw new DomainError('invalid_request', `Invalid case: queue: ${message}`, { fields: [{ path: 'queue', message }] });
    }
    await loadVisible(host, req.caller, body.subject);
    if (req.caller.role !== 'reviewer' && req.caller.role !== 'integrator') throw forbidden('Only reviewers open cases by hand.');
    res.status(201).json(await save(newCase({ ...body, at: host.now() }), true));
  });

  router.post('/cases/:id/comments', async (req, res) => {
    const body = parse(commentBody, req.body, 'comment');
    if (!isStaff(req.caller)) throw forbidden('Only staff comment on cases.');
    res.status(201).json(await change(req.params.id, (c) => withComment(c, body.text, byOf(req.caller), host.now())));
  });

  // Assign (or unassign with null) and resolve (or reopen).
  router.post('/cases/:id', async (req, res) => {
    const body = parse(updateBody, req.body, 'case update');
    if (!isStaff(req.caller)) throw forbidden('Only staff work cases.');
    const at = host.now();
    const updated = await change(req.params.id, (c) => ({
      ...c,
      ...(body.assignee !== undefined && { assignee: body.assignee }),
      ...(body.status !== undefined && { status: body.status, resolved_at: body.status === 'resolved' ? at : null }),
      updated_at: at,
    }));
    res.json(updated);
  });

  return router;
}
