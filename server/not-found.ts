import type { Request, Response } from 'express';
import { escapeHtml, page } from './html.ts';

/**
 * A path nothing serves: a page with a way on for a browser, the API's error shape for anything
 * else (the `/v1` routes answer their own 404 before this).
 */
export function notFoundPage(req: Request, res: Response) {
  res.status(404);
  if (req.accepts(['json', 'html']) !== 'html') return void res.json({ error: `Nothing is served at ${req.path}.`, code: 'not_found', details: {} });
  const body = `<h1>Page not found</h1>
<p>There is no page at <code>${escapeHtml(req.path)}</code>. The link may be mistyped, or the page has moved.</p>
<ul>
  <li><a href="/">Go to your dashboard</a> (or the sign-in page)</li>
  <li><a href="/docs">Read the API reference</a></li>
</ul>`;
  res.type('html').send(page('Page not found', body));
}
