import type { ActorChange } from '../../live.ts';

/** Changes as they are committed, newest first. */
export function Feed({ changes, onInspect }: { changes: ActorChange[]; onInspect: (id: string) => void }) {
  return (
    <section className="card" aria-label="Live feed">
      <h2>Live feed</h2>
      {changes.length === 0 && <p className="muted">Waiting for changes…</p>}
      <ol className="feed">
        {changes.map((c) => (
          <li key={`${c.actor.id}:${c.actor.version}`}>
            <time>{new Date(c.at).toLocaleTimeString()}</time>{' '}
            <button className="link" onClick={() => onInspect(c.actor.id)}>
              {c.actor.id}
            </button>{' '}
            <code>{c.event.type}</code> → <strong>{c.actor.status}</strong> <small className="muted">by {c.by.role}</small>
          </li>
        ))}
      </ol>
    </section>
  );
}
