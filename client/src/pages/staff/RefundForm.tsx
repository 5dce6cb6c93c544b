import { useId, useState } from 'react';
import { type ActorView, send } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import { useStaffAction } from './use-staff-action.ts';
import { REFUND_HELP, refundReasonShort, refundReasons } from './words.ts';

/** I13: records a seeker's refund request; the server decides whether it is refunded or escalated. */
export function RefundForm({ seeker }: { seeker: ActorView }) {
  const [reason, setReason] = useState(seeker.data.idv_status === 'failed' ? 'failed_verification' : 'idv_refusal');
  const [done, setDone] = useState<string>();
  const action = useStaffAction();
  const id = useId();
  const recorded = (seeker.data.refund_requests ?? []) as { reason: string; at: string }[];
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Refund request</h2>
      {recorded.length > 0 && (
        <ul className="staff-small" aria-label="Refund requests recorded">
          {recorded.map((r) => (
            <li key={`${r.reason}:${r.at}`}>
              Recorded {when(r.at)}: {refundReasonShort[r.reason] ?? r.reason}
            </li>
          ))}
        </ul>
      )}
      {seeker.can.includes('REQUEST_REFUND') ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setDone(undefined);
            void action.run(async () => {
              await send(seeker.id, 'REQUEST_REFUND', { reason });
              setDone(
                reason === 'idv_refusal'
                  ? 'Refund issued and recorded in the refunds queue (#IDVrefusal).'
                  : 'Recorded and escalated to member care: not refunded automatically.',
              );
            });
          }}
        >
          <p className="muted staff-small" id={`${id}-help`}>
            {REFUND_HELP}
          </p>
          <label htmlFor={`${id}-reason`}>Reason</label>
          <div className="staff-row">
            <select id={`${id}-reason`} aria-describedby={`${id}-help`} value={reason} onChange={(e) => setReason(e.target.value)}>
              {Object.entries(refundReasons).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <button type="submit" disabled={action.busy} data-event="REQUEST_REFUND">
              Record refund request
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">No refund request applies to this seeker now.</p>
      )}
      {action.error && <Notice>{action.error}</Notice>}
      {done && <Notice tone="success">{done}</Notice>}
    </section>
  );
}
