import type { Request } from 'express';
import { z } from 'zod';
import { parse } from './errors.ts';

const pageQuery = (minPerPage: number) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(minPerPage).max(100).default(25),
  });
export const ownPages = pageQuery(1);
// Checkr's lists also take `per_page=0`, which answers only the count (CHECKR.md "lists").
const checkrPages = pageQuery(0);

export interface PageRequest {
  page: number;
  per_page: number;
  offset: number;
}

export function pageOf(req: Request, style: 'own' | 'checkr' = 'own'): PageRequest {
  const query = { page: req.query.page, per_page: req.query.per_page };
  const { page, per_page } = parse(style === 'checkr' ? checkrPages : ownPages, query, 'pagination');
  return { page, per_page, offset: (page - 1) * per_page };
}

/**
 * The list envelope of API.md, with absolute links to the neighbouring pages: the server's
 * public URL (`SELF_URL`, a proxy's path prefix included) and the request's own path and query.
 */
export function envelope<T>(req: Request, data: T[], count: number, { page, per_page }: PageRequest) {
  const self = String(req.app.get('self url') ?? `${req.protocol}://${req.get('host')}`).replace(/\/+$/, '');
  const href = (p: number) => {
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(per_page));
    return `${self}${url.pathname}${url.search}`;
  };
  const paged = per_page > 0;
  return {
    data,
    object: 'list',
    count,
    next_href: paged && page * per_page < count ? href(page + 1) : null,
    previous_href: paged && page > 1 ? href(page - 1) : null,
  };
}

/** A list that is never paged (a report's screenings, a candidate's continuous checks), in the same envelope. */
export const wholeList = <T>(data: T[]) => ({ data, object: 'list' as const, count: data.length, next_href: null, previous_href: null });
