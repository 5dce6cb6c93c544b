import { Router } from 'express';
import { envelope, pageOf } from '../api/list.ts';
import type { ActorHost } from '../runtime/host.ts';
import { mayRead, mayWrite } from './access.ts';
import type { PackageCatalog } from './package-catalog.ts';

/** `GET /v1/packages`, `GET` and `DELETE /v1/packages/{id}`: the configured packages, by id or slug. */
export function packagesRouter(host: ActorHost, catalog: PackageCatalog) {
  const router = Router();
  router.get('/packages', async (req, res) => {
    mayRead(req.caller);
    const page = pageOf(req, 'checkr');
    const packages = await catalog.live();
    res.json(
      envelope(
        req,
        packages.slice(page.offset, page.offset + page.per_page).map((p) => catalog.resource(p)),
        packages.length,
        page,
      ),
    );
  });
  router.get('/packages/:id', async (req, res) => {
    mayRead(req.caller);
    res.json(catalog.resource(await catalog.find(req.params.id)));
  });
  router.delete('/packages/:id', async (req, res) => {
    mayWrite(req.caller);
    res.json(await catalog.delete(await catalog.find(req.params.id), host.now()));
  });
  return router;
}
