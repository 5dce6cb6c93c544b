import { useState } from 'react';
import { type ActorView, request } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { useAction } from '../../use-action.ts';
import { gateWords as w } from '../../words.ts';
import { IDENTITY_TAB, useLatestView } from './idv.ts';

type GateAction = 'message' | 'book';
type GateAnswer = { allowed: true } | { allowed: false; reason: 'identity_verification_required' | 'manual_review' | 'account_closed' };

/**
 * "Message" and "Book" on a provider's profile. Each asks the gate first (I2); a refusal prompts
 * the seeker to verify their identity, or says why they must wait.
 */
export function GatedActions({ seeker, providerName }: { seeker: ActorView; providerName: string }) {
  const { view, command } = useLatestView(seeker);
  const action = useAction();
  const [answer, setAnswer] = useState<{ action: GateAction; gate: GateAnswer }>();
  const idvStatus = view.data.idv_status as string;

  // A verification decided since (verified, manual review, closed) makes the earlier answer stale.
  const current = answer && expectedAnswer(view) === answerKey(answer.gate) ? answer : undefined;

  const ask = (which: GateAction) =>
    action.run(async () => {
      setAnswer(undefined);
      const gate = await request<GateAnswer>('POST', `/v1/seekers/${seeker.id}/gate`, { action: which });
      setAnswer({ action: which, gate });
    });

  const verify = () =>
    action.run(async () => {
      if (view.can.includes('START_VERIFICATION')) await command('START_VERIFICATION');
      navigate(IDENTITY_TAB);
    });

  const gate = current?.gate;
  return (
    <section className="gated" aria-label={w.title}>
      <div className="actions">
        <button type="button" disabled={action.busy} onClick={() => ask('message')}>
          {w.message}
        </button>
        <button type="button" className="secondary" disabled={action.busy} onClick={() => ask('book')}>
          {w.book}
        </button>
      </div>
      {action.error && <Notice>{action.error}</Notice>}
      {current && gate?.allowed && <Notice tone="success">{w.allowed(current.action, providerName)}</Notice>}
      {gate && !gate.allowed && gate.reason === 'identity_verification_required' && (
        <div className="notice info prompt" role="status">
          <p>
            <strong>{w.identity_verification_required}</strong>
          </p>
          <p>{idvStatus === 'in_progress' ? w.in_progress_help : w.identity_verification_help}</p>
          <button type="button" disabled={action.busy} onClick={verify}>
            {w.verify}
          </button>
        </div>
      )}
      {gate && !gate.allowed && gate.reason === 'manual_review' && (
        <Notice tone="info">
          <strong>{w.manual_review}</strong>
          <br />
          {w.manual_review_help}
        </Notice>
      )}
      {gate && !gate.allowed && gate.reason === 'account_closed' && <Notice tone="info">{w.account_closed}</Notice>}
    </section>
  );
}

const answerKey = (gate: GateAnswer) => (gate.allowed ? 'allowed' : gate.reason);

/** What the gate would answer for this view (server/idv/router.ts), to tell when an answer is outdated. */
function expectedAnswer(seeker: ActorView): string {
  if (seeker.data.account_status === 'closed') return 'account_closed';
  if (seeker.data.plan === 'legacy' || seeker.data.idv_status === 'verified') return 'allowed';
  return seeker.data.idv_status === 'manual_review' ? 'manual_review' : 'identity_verification_required';
}
