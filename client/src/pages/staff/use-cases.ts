import { useCallback, useEffect, useState } from 'react';
import { type List, request } from '../../api.ts';
import { useSocketEvent } from '../../live.ts';
import type { Case, CaseFilter } from './types.ts';

const matches = (c: Case, f: CaseFilter) =>
  (!f.queue || c.queue === f.queue) && (!f.status || c.status === f.status) && (!f.subject || c.subject === f.subject);

/** Keeps the later of two copies of a case (a fetch may answer after a socket change). */
const later = (a: Case | undefined, b: Case) => (a && a.updated_at > b.updated_at ? a : b);

const query = (f: CaseFilter) =>
  Object.entries(f)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
    .join('&');

/** Cases matching a filter, newest first, kept current from `case.changed`: a case that stops matching leaves. */
export function useCases(filter: CaseFilter) {
  const { queue, status, subject } = filter;
  const [cases, setCases] = useState<Map<string, Case>>(new Map());
  const [count, setCount] = useState<number>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    request<List<Case>>('GET', `/v1/cases?${query({ queue, status, subject })}&per_page=100`).then(
      (list) => {
        setCases((current) => new Map(list.data.map((c) => [c.id, later(current.get(c.id), c)])));
        setCount(list.count);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [queue, status, subject]);
  useEffect(() => {
    setCases(new Map());
    setCount(undefined);
    reload();
  }, [reload]);
  useSocketEvent<{ case: Case }>('case.changed', ({ case: changed }) => {
    setCases((current) => {
      const next = new Map(current);
      if (matches(changed, { queue, status, subject })) next.set(changed.id, later(next.get(changed.id), changed));
      else next.delete(changed.id);
      return next;
    });
  });
  useSocketEvent('connect', reload);
  const list = [...cases.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
  return { cases: list, count, error };
}

/** One case with its comments, kept current from `case.changed`. */
export function useCase(id: string) {
  const [found, setFound] = useState<Case>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    request<Case>('GET', `/v1/cases/${encodeURIComponent(id)}`).then(
      (c) => {
        setFound((current) => later(current, c));
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [id]);
  useEffect(() => {
    setFound(undefined);
    reload();
  }, [reload]);
  useSocketEvent<{ case: Case }>('case.changed', ({ case: changed }) => {
    if (changed.id === id) setFound((current) => later(current, changed));
  });
  useSocketEvent('connect', reload);
  /** An answer of the server to this console's own change: shown at once, the socket confirms. */
  const accept = useCallback((c: Case) => setFound((current) => later(current, c)), []);
  return { found, error, accept };
}
