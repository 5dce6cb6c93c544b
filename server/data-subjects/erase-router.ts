import { Router } from 'express';
import { forbidden, notFound } from '../runtime/errors.ts';
import { erasedError } from '../runtime/seal.ts';
import { type ErasureContext, eraseSubject } from './erasure.ts';

/** The resources that are data subjects (erased and exported), and their actor kinds. */
export const SUBJECT_KINDS = { seekers: 'seeker', providers: 'provider', candidates: 'candidate' } as const;

/**
 * `POST /v1/{seekers|providers|candidates}/{id}/erase` (integrator, reviewer; issue 16): closes
 * a member's account if it is open (with its usual cascades, waited for), then erases the
 * subject (erasure.ts).
 */
export function erasureRouter(context: ErasureContext) {
  const { host, sealer } = context;
  const router = Router();
  for (const [resource, kind] of Object.entries(SUBJECT_KINDS)) {
    router.post(`/${resource}/:id/erase`, async (req, res) => {
      const { role, subject: staff } = req.caller;
      if (role !== 'integrator' && role !== 'reviewer') throw forbidden('Only the integrator and reviewers may erase a data subject.');
      const id = req.params.id;
      await sealer.load(id);
      const done = sealer.erasure(id);
      if (done) throw erasedError(id, done);
      const loaded = await host.load(id);
      if (!loaded || loaded.kind.kind !== kind) throw notFound(kind);
      if (kind !== 'candidate' && loaded.actor.status !== 'closed') await host.send(id, { type: 'CLOSE_ACCOUNT' }, { role, subject: staff });
      const erasure = await eraseSubject(context, id, staff ? `${role}:${staff}` : role);
      res.json({ id, object: 'erasure', kind, ...erasure });
    });
  }
  return router;
}
