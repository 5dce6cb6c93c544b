import type { ActorView } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { useAction } from '../../use-action.ts';
import { monitoringIdvWords as w } from '../../words.ts';
import { IDENTITY_TAB, type IdvStatus, PENDING_IDV, useLatestView } from './idv.ts';

/** Whether the seeker's verification keeps them from asking to monitor a provider (I6). */
export const blockedByIdv = (seeker: ActorView) => PENDING_IDV.includes(seeker.data.idv_status as IdvStatus);

/** I6 on the provider's profile: why no monitoring request can be sent yet, and the way to verify. */
export function VerifyToMonitor({ seeker }: { seeker: ActorView }) {
  const { view, command } = useLatestView(seeker);
  const action = useAction();
  const status = view.data.idv_status as IdvStatus;
  const verify = () =>
    action.run(async () => {
      if (view.can.includes('START_VERIFICATION')) await command('START_VERIFICATION');
      navigate(IDENTITY_TAB);
    });
  return (
    <div className="notice info prompt" role="status" data-testid="verify-to-monitor">
      <p>
        <strong>{w.title}</strong>
      </p>
      <p>{w.why[status] ?? w.why.required}</p>
      {action.error && <Notice>{action.error}</Notice>}
      {status !== 'manual_review' && (
        <button type="button" disabled={action.busy} onClick={verify}>
          {status === 'in_progress' ? w.continue : w.verify}
        </button>
      )}
    </div>
  );
}
