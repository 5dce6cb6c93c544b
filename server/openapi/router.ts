import { createRequire } from 'node:module';
import { apiReference } from '@scalar/express-api-reference';
import { Router } from 'express';
import { openApiDocument } from './document.ts';
import { errorCodesPage } from './error-codes.ts';

/** Scalar's standalone bundle, served from node_modules: the reference works without the internet. */
const SCRIPT = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');

/** `GET /v1/openapi.json` (the document, built on first request), `GET /docs` (the interactive reference) and `GET /docs/errors` (every error code). */
export function openApiRouter() {
  let document: Record<string, unknown> | undefined;
  return Router()
    .get('/v1/openapi.json', (_req, res) => {
      document ??= openApiDocument();
      res.json(document);
    })
    .get('/docs/errors', (_req, res) => {
      res.type('html').send(errorCodesPage());
    })
    .get('/docs/reference.js', (_req, res) => {
      res.sendFile(SCRIPT, { maxAge: '1d' });
    })
    .get('/docs', apiReference({ url: '/v1/openapi.json', cdn: '/docs/reference.js', pageTitle: 'trustwire API', withDefaultFonts: false }));
}
