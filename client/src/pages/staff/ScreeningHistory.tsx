import type { List } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import type { ScreeningAttempt } from './types.ts';
import { useFetched } from './use-fetched.ts';
import { methodLabels, outcomeLabels, vendorLabels } from './words.ts';

/** I11: every Prove, Veriff and ID.me attempt of a seeker, fetched again whenever the seeker changes. */
export function ScreeningHistory({ seekerId, version, headingLevel = 2 }: { seekerId: string; version: number; headingLevel?: 2 | 3 }) {
  const { data, error } = useFetched<List<ScreeningAttempt>>(`/v1/seekers/${encodeURIComponent(seekerId)}/screening_history?per_page=100`, version);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="card staff-screening" aria-labelledby={`screening-${seekerId}`}>
      <Heading id={`screening-${seekerId}`}>Screening history</Heading>
      {error && <Notice>{error}</Notice>}
      {data && data.data.length === 0 && <p className="muted">No verification attempt yet.</p>}
      {data && data.data.length > 0 && (
        <table className="staff-table stacked-table" aria-label="Screening history">
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              <th scope="col">Method</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reference</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {data.data.map((a) => (
              <tr key={a.id} data-vendor={a.vendor} data-outcome={a.outcome}>
                <td data-label="Vendor">
                  <span>{vendorLabels[a.vendor] ?? a.vendor}</span>
                </td>
                <td data-label="Method">
                  <span>{methodLabels[a.method] ?? a.method}</span>
                </td>
                <td data-label="Outcome">
                  <span>{outcomeLabels[a.outcome] ?? a.outcome}</span>
                </td>
                <td data-label="Reference">
                  <code className="staff-wrap">{a.reference}</code>
                </td>
                <td data-label="Time">
                  <span>{when(a.at)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
