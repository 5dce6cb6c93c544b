import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import { type ActorView, type ApiError, type List, request } from './api.ts';
import { currentSession } from './session.ts';

export interface ActorChange {
  actor: ActorView;
  event: { type: string };
  by: { role: string; subject?: string };
  at: string;
}

export interface Notification {
  id: string;
  channel: 'in_app' | 'email';
  template?: string;
  subject: string;
  text: string;
  actor: string;
  created_at: string;
}

let socket: Socket | undefined;

/** One Socket.IO connection per tab, authenticated with the session token. */
export function liveSocket(): Socket {
  socket ??= io({ auth: { token: currentSession()?.token }, transports: ['websocket'] });
  return socket;
}

const onConnection = (changed: () => void) => {
  const s = liveSocket();
  s.on('connect', changed);
  s.on('disconnect', changed);
  return () => void s.off('connect', changed).off('disconnect', changed);
};

/**
 * Whether the socket is connected now. Read from the socket itself on every change, so a
 * connection made before this component subscribed (a lazily loaded page) still shows.
 */
export function useConnected(): boolean {
  return useSyncExternalStore(onConnection, () => liveSocket().connected);
}

/** Calls `handler` for every socket event of this name while mounted. */
export function useSocketEvent<T>(name: string, handler: (payload: T) => void) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const s = liveSocket();
    const listener = (payload: T) => latest.current(payload);
    s.on(name, listener);
    return () => void s.off(name, listener);
  }, [name]);
}

/** Keeps the newer of two views of the same actor (a fetch may answer after a socket change). */
const newer = (a: ActorView | undefined, b: ActorView) => (a && a.version > b.version ? a : b);

/** One actor's view, fetched once and then kept current from `actor.changed`. */
export function useActor(id: string | undefined) {
  const [actor, setActor] = useState<ActorView>();
  const [error, setError] = useState<ApiError>();
  const reload = useCallback(() => {
    if (!id) return;
    request<ActorView>('GET', `/v1/actors/${encodeURIComponent(id)}`).then(
      (view) => {
        setActor((current) => newer(current, view));
        setError(undefined);
      },
      (e: ApiError) => setError(e),
    );
  }, [id]);
  useEffect(() => {
    // Another actor: nothing of the previous one (its view, its refusal) stays on the page.
    setActor(undefined);
    setError(undefined);
    reload();
  }, [reload]);
  useSocketEvent<ActorChange>('actor.changed', ({ actor: view }) => {
    if (view.id === id) setActor((current) => newer(current, view));
  });
  useSocketEvent('connect', reload); // a reconnect may have missed changes
  return { actor, error: error?.message, notFound: error?.code === 'not_found' };
}

/** Every actor of a kind the caller may see (their own links, for a member), kept current. */
export function useActors(kind: string) {
  const [actors, setActors] = useState<Map<string, ActorView>>(new Map());
  const [error, setError] = useState<string>();
  const upsert = useCallback((views: ActorView[]) => {
    setActors((current) => {
      const next = new Map(current);
      for (const view of views) next.set(view.id, newer(next.get(view.id), view));
      return next;
    });
  }, []);
  const reload = useCallback(() => {
    request<List<ActorView>>('GET', `/v1/actors?kind=${kind}&per_page=100`).then(
      (list) => {
        upsert(list.data);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [kind, upsert]);
  useEffect(reload, [reload]);
  useSocketEvent<ActorChange>('actor.changed', ({ actor }) => {
    if (actor.kind === kind) upsert([actor]);
  });
  useSocketEvent('connect', reload);
  const list = [...actors.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return { actors: list, error };
}

/** The signed-in member's in-app notifications, newest first, with new ones as they arrive. */
export function useNotifications(recipient: string) {
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    request<List<Notification>>('GET', `/v1/notifications?recipient=${recipient}&per_page=30`).then(
      (list) => setNotifications(list.data.filter((n) => n.channel === 'in_app')),
      () => undefined, // the page's own data shows the error; new notifications still arrive live
    );
  }, [recipient]);
  useSocketEvent<Notification>('notification', (n) => {
    if (n.channel !== 'in_app') return;
    setNotifications((current) => (current.some((c) => c.id === n.id) ? current : [n, ...current]));
    setUnread((u) => u + 1);
  });
  return { notifications, unread, markRead: () => setUnread(0) };
}
