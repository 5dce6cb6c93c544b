import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));
/** The dashboards' pages, each the same single-page app. */
export const PAGES = ['/', '/login', '/seeker', '/provider', '/staff', '/ops'];

/** The dashboards: the client built by Vite (`npm run build`), one page app behind each path. */
export function dashboards() {
  const router = Router();
  if (!existsSync(DIST)) {
    router.get(PAGES, (_req, res) => {
      res.status(503).type('text').send('The dashboards are not built: run `npm run build` (npm start does it for you).');
    });
    return router;
  }
  router.use(express.static(DIST, { index: false, maxAge: '1h', immutable: true }));
  router.get(PAGES, (_req, res) => {
    res.sendFile('index.html', { root: DIST, maxAge: 0 });
  });
  return router;
}
