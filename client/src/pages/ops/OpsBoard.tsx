import { useCallback, useEffect, useState } from 'react';
import { type ActorView, type List, request } from '../../api.ts';
import { Shell } from '../../components/Shell.tsx';
import { type ActorChange, useSocketEvent } from '../../live.ts';
import { navigate, useLocation } from '../../router.ts';
import type { Session } from '../../session.ts';
import { ActorInspector } from './ActorInspector.tsx';
import { Counts } from './Counts.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { Feed } from './Feed.tsx';
import { Retention } from './Retention.tsx';

const FEED_LENGTH = 100;
const EARLIER = 20;

/** The live operations board: counts per kind and status, failed effects, retention, the feed of changes, one actor inspected. */
export function OpsBoard({ session }: { session: Session }) {
  const url = useLocation();
  const [changes, setChanges] = useState<ActorChange[]>([]);
  const [earlier, setEarlier] = useState<ActorView[]>([]);
  useSocketEvent<ActorChange>('actor.changed', (change) => setChanges((current) => [change, ...current].slice(0, FEED_LENGTH)));
  // The feed opens with the latest changes, not an empty list (again after a reconnection).
  const loadEarlier = useCallback(() => {
    request<List<ActorView>>('GET', `/v1/actors?per_page=${EARLIER}`).then(
      (list) => setEarlier(list.data),
      () => undefined,
    );
  }, []);
  useEffect(loadEarlier, [loadEarlier]);
  useSocketEvent('connect', loadEarlier);
  const inspect = (id: string) => navigate(`/ops?actor=${encodeURIComponent(id)}`);
  return (
    <Shell
      session={session}
      title="Operations board"
      tabs={[
        { href: '/ops', label: 'Operations', current: true },
        { href: '/staff', label: 'Staff console', current: false },
      ]}
    >
      <div className="ops">
        <div className="ops-side">
          <Counts changes={changes.length} />
          <DeadLetters changes={changes.length} />
          <Retention changes={changes.length} />
          <Feed changes={changes} earlier={earlier.slice(0, Math.max(0, EARLIER - changes.length))} onInspect={inspect} />
        </div>
        <ActorInspector id={url.searchParams.get('actor') ?? undefined} onInspect={inspect} />
      </div>
    </Shell>
  );
}
