import { useEffect, useState } from 'react';
import { request } from '../../api.ts';
import { statusesOf } from '../../words.ts';

type Counts = Record<string, Record<string, number>>;

/** Actors per kind and status, fetched again whenever the feed moves (at most every 300 ms). */
export function Counts({ changes }: { changes: number }) {
  const [counts, setCounts] = useState<Counts>();
  useEffect(() => {
    const refresh = () =>
      request<{ counts: Counts }>('GET', '/v1/actors/counts').then(
        (answer) => setCounts(answer.counts),
        () => undefined,
      ); // again on the next change
    const timer = setTimeout(refresh, changes ? 300 : 0);
    return () => clearTimeout(timer);
  }, [changes]);
  return (
    <section className="card" aria-label="Counts">
      <h2>Actors</h2>
      <div className="counts">
        {Object.entries(statusesOf).map(([kind, statuses]) => (
          <table key={kind}>
            <caption>{kind}s</caption>
            <tbody>
              {statuses.map((status) => (
                <tr key={status}>
                  <th scope="row">{status}</th>
                  <td data-count={`${kind}.${status}`}>{counts ? (counts[kind]?.[status] ?? 0) : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </section>
  );
}
