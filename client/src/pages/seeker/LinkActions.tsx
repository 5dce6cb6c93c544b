import { type ActorView, send } from '../../api.ts';
import { ConfirmButton } from '../../components/Confirm.tsx';
import type { useAction } from '../../use-action.ts';

/** The seeker's ways out of a link, each asked once more: cancel a request (C9), stop monitoring (C11). */
export function LinkActions({ link, action, stopLabel }: { link: ActorView; action: ReturnType<typeof useAction>; stopLabel: string }) {
  const name = link.data.provider_name as string;
  return (
    <>
      {link.can.includes('CANCEL_REQUEST') && (
        <ConfirmButton
          label="Cancel request"
          question={`Cancel your request to ${name}?`}
          confirm="Yes, cancel it"
          keep="Keep request"
          disabled={action.busy}
          onConfirm={() => action.run(() => send(link.id, 'CANCEL_REQUEST'))}
        />
      )}
      {link.can.includes('STOP_MONITORING') && (
        <ConfirmButton
          label={stopLabel}
          question={`Stop monitoring ${name}?`}
          confirm="Yes, stop"
          keep="Keep monitoring"
          disabled={action.busy}
          onConfirm={() => action.run(() => send(link.id, 'STOP_MONITORING'))}
        />
      )}
    </>
  );
}
