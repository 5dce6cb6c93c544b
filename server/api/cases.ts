import { Router } from 'express';
import { z } from 'zod';
import { isStaff, type Caller } from '../runtime/caller.ts';
import { findCases, getCase } from '../runtime/cases.ts';
import { forbidden, notFound } from '../runtime/errors.ts';
import type { Sealer } from '../runtime/seal.ts';
import type { Store } from '../store/store.ts';
import { parse } from './errors.ts';
import { envelope, pageOf } from './list.ts';

const listQuery = z.object({
  queue: z.string().max(64).optional(),
  status: z.enum(['open', 'resolved']).optional(),
  subject: z.string().max(64).optional(),
});

function staffOrIntegrator(caller: Caller) {
  if (!isStaff(caller) && caller.role !== 'integrator') throw forbidden('Cases are for staff.');
}

/** The case queues (API.md "Staff"): opened automatically (I12, C12, B7) or by hand. */
export function casesRouter(store: Store, sealer: Sealer) {
  const router = Router();

  router.get('/cases', async (req, res) => {
    staffOrIntegrator(req.caller);
    const filter = parse(listQuery, req.query, 'query');
    const page = pageOf(req);
    const cases = await findCases(store, sealer, filter);
    res.json(envelope(req, cases.slice(page.offset, page.offset + page.per_page), cases.length, page));
  });

  router.get('/cases/:id', async (req, res) => {
    staffOrIntegrator(req.caller);
    const found = await getCase(store, sealer, req.params.id);
    if (!found) throw notFound('case');
    res.json(found);
  });

  return router;
}
