import { linkStatusMeaning } from '../words.ts';

/** A link's status label that opens its explanation when clicked (seed 003: "Click on each status to learn more!"). */
export function StatusExplained({ status, label, testId }: { status: string; label: string; testId?: string }) {
  return (
    <details className="status-explained">
      <summary className={`badge ${status}`} data-testid={testId} data-status={status} title="What does this mean?">
        {label}
      </summary>
      <p role="note">{linkStatusMeaning[status]}</p>
    </details>
  );
}
