import { useId, useState } from 'react';
import { request, send } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import type { Session } from '../../session.ts';
import { IdentityDocuments } from './IdentityDocuments.tsx';
import { memberName } from './MemberName.tsx';
import { ScreeningHistory } from './ScreeningHistory.tsx';
import type { Case } from './types.ts';
import { useStaffAction } from './use-staff-action.ts';
import { idvStatusLabels, REJECT_REASONS, reviewWords as words } from './words.ts';

/**
 * I8 at the case: the documents and what Veriff made of them, the screening history, and for
 * reviewers one decision (approve, or reject with a reason from the list), confirmed before it is
 * sent. A decision also comments on the case and resolves it.
 */
export function ReviewDecision({ found, role, onCase }: { found: Case; role: Session['role']; onCase: (c: Case) => void }) {
  const { actor: seeker, error } = useActor(found.subject);
  const [choice, setChoice] = useState<'approve' | 'reject'>();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useStaffAction();
  const id = useId();
  if (error) return <Notice>{error}</Notice>;
  if (!seeker) return <p className="muted">Loading the seeker…</p>;
  const inReview = seeker.data.idv_status === 'manual_review';
  const mayDecide = seeker.can.includes('APPROVE_REVIEW') && seeker.can.includes('REJECT_REVIEW');
  const name = memberName(seeker);

  const decide = () =>
    action.run(async () => {
      if (choice === 'approve') await send(seeker.id, 'APPROVE_REVIEW');
      else await send(seeker.id, 'REJECT_REVIEW', { reason });
      const comment =
        choice === 'approve'
          ? 'Identity approved after manual review. #ManualReviewApproved'
          : `Identity rejected after manual review: ${reason} #ManualReviewRejected`;
      onCase(await request<Case>('POST', `/v1/cases/${found.id}/comments`, { text: comment }));
      if (found.status !== 'resolved') onCase(await request<Case>('POST', `/v1/cases/${found.id}`, { status: 'resolved' }));
      setConfirming(false);
    });

  return (
    <section className="card staff-review" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.title}</h2>
      <p>
        Seeker status:{' '}
        <strong data-testid="case-idv-status" data-status={seeker.data.idv_status}>
          {idvStatusLabels[seeker.data.idv_status] ?? seeker.data.idv_status}
        </strong>
      </p>
      {role === 'reviewer' ? (
        <IdentityDocuments seeker={seeker} />
      ) : (
        <p className="muted">The photos and what Veriff read from the document are shown to reviewers.</p>
      )}
      {action.error && <Notice>{action.error}</Notice>}
      {inReview && !mayDecide && <Notice tone="info">{words.reviewerDecides}</Notice>}
      {inReview && mayDecide && !confirming && (
        <form
          className="staff-form staff-decision"
          aria-label={words.yours}
          onSubmit={(e) => {
            e.preventDefault();
            setConfirming(true);
          }}
        >
          <fieldset>
            <legend>{words.yours}</legend>
            <label className="staff-choice">
              <input type="radio" name={`${id}-decision`} checked={choice === 'approve'} onChange={() => setChoice('approve')} />
              {words.approve}
            </label>
            <label className="staff-choice">
              <input type="radio" name={`${id}-decision`} checked={choice === 'reject'} onChange={() => setChoice('reject')} />
              {words.reject}
            </label>
          </fieldset>
          {choice === 'reject' && (
            <>
              <label htmlFor={`${id}-reason`}>{words.reason}</label>
              <select id={`${id}-reason`} required value={reason} onChange={(e) => setReason(e.target.value)}>
                <option value="">{words.choose}</option>
                {REJECT_REASONS.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </>
          )}
          <div>
            <button type="submit" disabled={!choice || (choice === 'reject' && !reason)}>
              {words.next}
            </button>
          </div>
        </form>
      )}
      {inReview && mayDecide && confirming && (
        <div className="confirm" role="group" aria-label="Confirm the decision">
          <p>{choice === 'approve' ? words.confirmApprove(name) : words.confirmReject(name, reason)}</p>
          <button
            type="button"
            data-event={choice === 'approve' ? 'APPROVE_REVIEW' : 'REJECT_REVIEW'}
            className={choice === 'reject' ? 'danger' : undefined}
            disabled={action.busy}
            onClick={decide}
          >
            {choice === 'approve' ? words.yesApprove : words.yesReject}
          </button>
          <button type="button" className="secondary" disabled={action.busy} onClick={() => setConfirming(false)}>
            {words.back}
          </button>
        </div>
      )}
      <ScreeningHistory seekerId={seeker.id} version={seeker.version} headingLevel={3} />
    </section>
  );
}
