import { Router } from 'express';
import { envelope, pageOf } from '../api/list.ts';
import { mayRead, missing } from './access.ts';
import type { Package } from './packages.ts';
import { packageResource } from './resources.ts';

/** `GET /v1/packages` and `GET /v1/packages/{id}`: the configured packages, by id or slug. */
export function packagesRouter(packages: Package[], since: string) {
  const router = Router();
  router.get('/packages', (req, res) => {
    mayRead(req.caller);
    const page = pageOf(req);
    res.json(envelope(req, packages.slice(page.offset, page.offset + page.per_page).map((p) => packageResource(p, since)), packages.length, page));
  });
  router.get('/packages/:id', (req, res) => {
    mayRead(req.caller);
    const found = packages.find((p) => `pkg_${p.slug}` === req.params.id || p.slug === req.params.id);
    if (!found) throw missing('Package not found');
    res.json(packageResource(found, since));
  });
  return router;
}
