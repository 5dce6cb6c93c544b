import { useEffect, useState } from 'react';
import type { DeadLetter } from '../../../../contract/index.ts';
import { type List, request } from '../../api.ts';
import { when } from '../../words.ts';

/**
 * Effects the outbox gave up on after their retries ran out (an email that could not be sent, a
 * vendor that kept failing): staff see why and put one back for delivery. Fetched again whenever
 * the feed moves.
 */
export function DeadLetters({ changes }: { changes: number }) {
  const [letters, setLetters] = useState<DeadLetter[]>();
  const [error, setError] = useState<string>();
  const refresh = () =>
    request<List<DeadLetter>>('GET', '/v1/dead_letters?per_page=100').then(
      (list) => setLetters(list.data),
      () => undefined, // again on the next change
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the change count moves
  useEffect(() => {
    const timer = setTimeout(refresh, changes ? 300 : 0);
    return () => clearTimeout(timer);
  }, [changes]);
  const retry = async (id: string) => {
    setError(undefined);
    await request('POST', `/v1/dead_letters/${encodeURIComponent(id)}/retry`).then(refresh, (e: Error) => setError(e.message));
  };
  return (
    <section className="card" aria-label="Dead letters">
      <h2>Failed effects</h2>
      {error && <p role="alert">{error}</p>}
      {letters === undefined ? (
        <p>…</p>
      ) : letters.length === 0 ? (
        <p>None: every effect was delivered or is still being retried.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Effect</th>
              <th scope="col">Actor</th>
              <th scope="col">Why</th>
              <th scope="col">Gave up</th>
              <th scope="col">
                <span className="visually-hidden">Retry</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.id} data-dead-letter={letter.id}>
                <td>{letter.kind}</td>
                <td>{letter.actor}</td>
                <td>
                  {letter.last_error} ({letter.attempts} attempts)
                </td>
                <td>{when(letter.dead_at)}</td>
                <td>
                  <button type="button" onClick={() => void retry(letter.id)}>
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
