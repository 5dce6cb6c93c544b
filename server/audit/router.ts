import { Router } from 'express';
import { envelope, pageOf } from '../api/list.ts';
import { isMember } from '../runtime/caller.ts';
import { forbidden } from '../runtime/errors.ts';
import type { Store } from '../store/store.ts';
import { listCheckpoints } from './checkpoints.ts';

/** The audit checkpoints, oldest first, each with the heads it hashed: for a verifier or an external copy (staff, integrator). */
export function auditRouter(store: Store) {
  const router = Router();
  router.get('/audit/checkpoints', async (req, res) => {
    if (isMember(req.caller)) throw forbidden('Only staff and the integrator may read the audit checkpoints.');
    const page = pageOf(req);
    const all = await listCheckpoints(store);
    res.json(envelope(req, all.slice(page.offset, page.offset + page.per_page), all.length, page));
  });
  return router;
}
