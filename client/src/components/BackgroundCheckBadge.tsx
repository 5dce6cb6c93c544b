import type { BackgroundCheck } from '../../../contract/index.ts';
import { backgroundCheckWords as w, when } from '../words.ts';

export type { BackgroundCheck };

/** The background-check badge on a provider's profile, for seekers and for the provider themselves. */
export function BackgroundCheckBadge({ check }: { check: BackgroundCheck | null | undefined }) {
  if (!check)
    return (
      <p className="bgc-badge none" data-testid="background-check" data-status="none">
        {w.none}
      </p>
    );
  const completed = check.status === 'complete';
  return (
    <p className={`bgc-badge ${check.status}`} data-testid="background-check" data-status={check.status}>
      <span className={`badge ${completed ? 'active' : 'request_pending'}`}>
        {completed ? '✓ ' : ''}
        {w.status[check.status] ?? check.status}
      </span>
      {completed && check.completed_at && <small className="muted"> {when(check.completed_at)}</small>}
      {completed && check.result && <small className="muted"> · {w.result[check.result]}</small>}
    </p>
  );
}
