import { useEffect, useState } from 'react';
import { type ActorView, request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import type { HistoryEntry } from './types.ts';
import { eventLabel, whoLabel } from './words.ts';

interface Source {
  id: string;
  label: string;
  version: number;
}

type Entry = HistoryEntry & { source: Source };

/**
 * P3: the member's own audit history and that of each of their links, as one timeline, newest
 * first: when, who (role and id), what, and the status before → after. Fetched again on every change.
 */
export function AuditTimeline({ member, links }: { member: ActorView; links: ActorView[] }) {
  const other = member.kind === 'provider' ? 'seeker' : 'provider';
  const sources: Source[] = [
    { id: member.id, label: 'Account', version: member.version },
    ...links.map((l) => ({ id: l.id, label: `Link with ${l.data[`${other}_name`]}`, version: l.version })),
  ];
  const key = sources.map((s) => `${s.id}@${s.version}`).join(',');
  const [entries, setEntries] = useState<Entry[]>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the sources and their versions: read again when one changes
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      Promise.all(
        sources.map((s) => request<{ data: HistoryEntry[] }>('GET', `/v1/actors/${s.id}/history`).then((h) => h.data.map((e) => ({ ...e, source: s })))),
      )
        .then((all) => {
          if (!current) return;
          setEntries(all.flat().sort((a, b) => b.at.localeCompare(a.at) || b.seq - a.seq));
          setError(undefined);
        })
        .catch((e: Error) => current && setError(e.message));
    }, 50); // several changes of one commit arrive together: fetch once
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` names every source and its version: a change to any of them fetches again.
  }, [key]);

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Safety &amp; audit history</h2>
      {error && <Notice>{error}</Notice>}
      {!entries && !error && <p className="muted">Loading…</p>}
      <ol className="staff-timeline" aria-label="Safety and audit history">
        {entries?.map((e) => (
          <li key={`${e.source.id}:${e.seq}`} data-event={e.event.type}>
            <time dateTime={e.at}>{when(e.at)}</time>
            <div>
              <strong>{eventLabel(e.event.type)}</strong> <code className="muted">{e.event.type}</code>
              <span className="staff-small muted"> · {e.source.label}</span>
            </div>
            <div className="staff-small">
              by <span className="staff-who">{whoLabel(e.by)}</span> ·{' '}
              {!e.from ? `created as ${e.to}` : e.from === e.to ? `status unchanged (${e.to})` : `${e.from} → ${e.to}`}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
