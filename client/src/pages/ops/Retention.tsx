import { useEffect, useState } from 'react';
import type { RetentionRuleStatus } from '../../../../contract/index.ts';
import { request } from '../../api.ts';
import { when } from '../../words.ts';

const DAY = 24 * 60 * 60 * 1000;

/** What each rule keeps, in the board's words. */
const RULE_WORDS: Record<RetentionRuleStatus['rule'], string> = {
  closed_members: 'Closed members',
  failed_idv: 'Failed identity verifications',
  candidates: 'Background-check candidates',
};

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const period = (ms: number) =>
  ms % (365 * DAY) === 0 ? plural(ms / (365 * DAY), 'year') : ms % DAY === 0 ? plural(ms / DAY, 'day') : plural(Math.round(ms / 3_600_000), 'hour');

/**
 * T4: the retention rules, and the erasures they have scheduled, coming due within 30 days, and
 * the first due (late when in the past). Fetched again whenever the feed moves.
 */
export function Retention({ changes }: { changes: number }) {
  const [rules, setRules] = useState<RetentionRuleStatus[]>();
  useEffect(() => {
    const refresh = () =>
      request<{ rules: RetentionRuleStatus[] }>('GET', '/v1/retention').then(
        (answer) => setRules(answer.rules),
        () => undefined, // again on the next change
      );
    const timer = setTimeout(refresh, changes ? 300 : 0);
    return () => clearTimeout(timer);
  }, [changes]);
  const now = Date.now();
  return (
    <section className="card retention" aria-label="Retention">
      <h2>Retention</h2>
      {rules === undefined ? (
        <p>…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Data</th>
              <th scope="col">Scheduled</th>
              <th scope="col">Due in 30 days</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule}>
                <th scope="row">
                  {RULE_WORDS[r.rule]}
                  <br />
                  <small className="muted">
                    {r.period_ms === null ? 'no rule: kept' : `kept ${period(r.period_ms)}`}
                    {r.next_due_at && ` · next ${when(r.next_due_at)}${Date.parse(r.next_due_at) < now ? ' (late)' : ''}`}
                  </small>
                </th>
                <td data-count={`retention.${r.rule}.scheduled`}>{r.scheduled}</td>
                <td data-count={`retention.${r.rule}.due`}>{r.due_within_30_days}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
