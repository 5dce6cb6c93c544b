import { useEffect, useState } from 'react';
import type { HistoryEntry as WireHistoryEntry } from '../../../../contract/index.ts';
import { kinds } from '../../../../machines/index.ts';
import { request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import { when } from '../../words.ts';
import { Statechart } from './Statechart.tsx';

type HistoryEntry = Omit<WireHistoryEntry, 'actor'>;

/** One actor: its statechart with the current state lit, beside its audit history. */
export function ActorInspector({ id, onInspect }: { id?: string; onInspect: (id: string) => void }) {
  const { actor, error, notFound } = useActor(id);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [typed, setTyped] = useState(id ?? '');
  useEffect(() => setTyped(id ?? ''), [id]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetched again when the actor changes (its version), not on every view object
  useEffect(() => {
    if (id && actor)
      request<{ data: HistoryEntry[] }>('GET', `/v1/actors/${id}/history`).then(
        (h) => setHistory(h.data),
        () => undefined,
      ); // fetched again on the next change
  }, [id, actor?.version]);
  const kind = actor ? kinds[actor.kind] : undefined;

  return (
    <section className="card inspector" aria-label="Actor">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) onInspect(typed.trim());
        }}
      >
        <label>
          Actor id <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="lnk_… skr_… prv_…" />
        </label>
        <button type="submit">Show</button>
      </form>
      {!id && <p className="muted">Pick an actor in the feed, or type its id.</p>}
      {id && error && <Notice>{notFound ? `No actor has the id “${id}”. Check it, or pick one in the feed.` : error}</Notice>}
      {actor && kind && (
        <>
          <h2>
            {actor.kind} <code>{actor.id}</code> — <span data-testid="inspected-status">{actor.status}</span>{' '}
            <small className="muted">version {actor.version}</small>
          </h2>
          <Statechart machine={kind.machine} value={actor.state} />
          <h3>Audit history</h3>
          <table className="history stacked-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>By</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.seq}>
                  <td data-label="When">{when(h.at)}</td>
                  <td data-label="Event">
                    <code>{h.event.type}</code>
                  </td>
                  <td data-label="By">
                    {h.by.role}
                    {h.by.subject && <small> {h.by.subject}</small>}
                    {h.by.on_behalf_of && <small> for {h.by.on_behalf_of}</small>}
                  </td>
                  <td data-label="Status">
                    {h.from ?? '—'} → {h.to}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
