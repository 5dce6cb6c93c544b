import type { Request } from 'express';
import { z } from 'zod';
import { parse } from './errors.ts';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});

export interface PageRequest {
  page: number;
  per_page: number;
  offset: number;
}

export function pageOf(req: Request): PageRequest {
  const { page, per_page } = parse(pageQuery, { page: req.query.page, per_page: req.query.per_page }, 'pagination');
  return { page, per_page, offset: (page - 1) * per_page };
}

/** The list envelope of API.md, with links to the neighbouring pages. */
export function envelope<T>(req: Request, data: T[], count: number, { page, per_page }: PageRequest) {
  const href = (p: number) => {
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(per_page));
    return url.pathname + url.search;
  };
  return {
    data,
    object: 'list',
    count,
    next_href: page * per_page < count ? href(page + 1) : null,
    previous_href: page > 1 ? href(page - 1) : null,
  };
}
