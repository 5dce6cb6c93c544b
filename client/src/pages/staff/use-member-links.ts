import { useCallback, useEffect, useState } from 'react';
import { type ActorView, type List, request } from '../../api.ts';
import { type ActorChange, useSocketEvent } from '../../live.ts';

const ofMember = (link: ActorView, member: string) => link.data.seeker_id === member || link.data.provider_id === member;

/** A member's links (`GET /v1/actors?kind=link&member=`), newest first, kept current from `actor.changed`. */
export function useMemberLinks(member: string) {
  const [links, setLinks] = useState<Map<string, ActorView>>(new Map());
  const [error, setError] = useState<string>();
  const upsert = useCallback((views: ActorView[]) => {
    setLinks((current) => {
      const next = new Map(current);
      for (const view of views) {
        const known = next.get(view.id);
        if (!known || known.version <= view.version) next.set(view.id, view);
      }
      return next;
    });
  }, []);
  const reload = useCallback(() => {
    request<List<ActorView>>('GET', `/v1/actors?kind=link&member=${encodeURIComponent(member)}&per_page=100`).then(
      (list) => {
        upsert(list.data);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [member, upsert]);
  useEffect(() => {
    setLinks(new Map());
    reload();
  }, [reload]);
  useSocketEvent<ActorChange>('actor.changed', ({ actor }) => {
    if (actor.kind === 'link' && ofMember(actor, member)) upsert([actor]);
  });
  useSocketEvent('connect', reload);
  const list = [...links.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return { links: list, error };
}
