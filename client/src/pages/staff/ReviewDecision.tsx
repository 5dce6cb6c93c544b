import { useId, useState } from 'react';
import { request, send } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import { ScreeningHistory } from './ScreeningHistory.tsx';
import type { Case } from './types.ts';
import { useStaffAction } from './use-staff-action.ts';
import { idvStatusLabels } from './words.ts';

/**
 * I8 at the case: the seeker's screening history, and for reviewers the decision buttons their
 * `can` offers. A decision also comments on the case and resolves it.
 */
export function ReviewDecision({ found, onCase }: { found: Case; onCase: (c: Case) => void }) {
  const { actor: seeker, error } = useActor(found.subject);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const action = useStaffAction();
  const id = useId();
  if (error) return <Notice>{error}</Notice>;
  if (!seeker) return <p className="muted">Loading the seeker…</p>;
  const inReview = seeker.data.idv_status === 'manual_review';

  const decide = (type: 'APPROVE_REVIEW' | 'REJECT_REVIEW', comment: string, fields: Record<string, unknown> = {}) =>
    action.run(async () => {
      await send(seeker.id, type, fields);
      onCase(await request<Case>('POST', `/v1/cases/${found.id}/comments`, { text: comment }));
      if (found.status !== 'resolved') onCase(await request<Case>('POST', `/v1/cases/${found.id}`, { status: 'resolved' }));
      setRejecting(false);
    });

  return (
    <section className="card staff-review" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Identity review</h2>
      <p>
        Seeker status:{' '}
        <strong data-testid="case-idv-status" data-status={seeker.data.idv_status}>
          {idvStatusLabels[seeker.data.idv_status] ?? seeker.data.idv_status}
        </strong>
      </p>
      <ScreeningHistory seekerId={seeker.id} version={seeker.version} headingLevel={3} />
      {action.error && <Notice>{action.error}</Notice>}
      {inReview && !seeker.can.includes('APPROVE_REVIEW') && !seeker.can.includes('REJECT_REVIEW') && (
        <Notice tone="info">A reviewer decides this manual review.</Notice>
      )}
      {inReview && !rejecting && (
        <div className="staff-row">
          {seeker.can.includes('APPROVE_REVIEW') && (
            <button data-event="APPROVE_REVIEW" disabled={action.busy} onClick={() => decide('APPROVE_REVIEW', 'Identity approved after manual review. #ManualReviewApproved')}>
              Approve identity
            </button>
          )}
          {seeker.can.includes('REJECT_REVIEW') && (
            <button data-event="REJECT_REVIEW" className="danger" disabled={action.busy} onClick={() => setRejecting(true)}>
              Reject…
            </button>
          )}
        </div>
      )}
      {inReview && rejecting && (
        <form
          className="confirm staff-form"
          aria-label="Reject the identity"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('REJECT_REVIEW', `Identity rejected after manual review: ${reason.trim()} #ManualReviewRejected`, { reason: reason.trim() });
          }}
        >
          <p>Rejecting fails the verification: the seeker’s account closes and their identity is blocklisted (I7).</p>
          <label htmlFor={`${id}-reason`}>Reason</label>
          <textarea id={`${id}-reason`} required maxLength={1000} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div>
            <button className="danger" disabled={action.busy || !reason.trim()}>
              Yes, reject
            </button>
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>
              Go back
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
