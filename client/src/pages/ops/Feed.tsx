import type { ActorView } from '../../api.ts';
import type { ActorChange } from '../../live.ts';

/**
 * Changes as they are committed, newest first; below them, until enough arrive, the actors changed
 * most recently before the board opened (from `GET /v1/actors`, which lists the latest first).
 */
export function Feed({ changes, earlier, onInspect }: { changes: ActorChange[]; earlier: ActorView[]; onInspect: (id: string) => void }) {
  const live = new Set(changes.map((c) => c.actor.id));
  const before = earlier.filter((a) => !live.has(a.id));
  const actorButton = (id: string) => (
    <button type="button" className="link" onClick={() => onInspect(id)}>
      {id}
    </button>
  );
  return (
    <section className="card" aria-label="Live feed">
      <h2>Live feed</h2>
      {changes.length === 0 && before.length === 0 && <p className="muted">Nothing has changed yet.</p>}
      <ol className="feed">
        {changes.map((c) => (
          <li key={`${c.actor.id}:${c.actor.version}`}>
            <time dateTime={c.at}>{new Date(c.at).toLocaleTimeString()}</time> {actorButton(c.actor.id)} <code>{c.event.type}</code> →{' '}
            <strong>{c.actor.status}</strong> <small className="muted">by {c.by.role}</small>
          </li>
        ))}
        {before.map((a) => (
          <li key={`${a.id}:${a.version}`} className="earlier">
            <time dateTime={a.updated_at}>{new Date(a.updated_at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}</time>{' '}
            {actorButton(a.id)} → <strong>{a.status}</strong> <small className="muted">version {a.version}, before this board opened</small>
          </li>
        ))}
      </ol>
    </section>
  );
}
