import { useState } from 'react';
import { type ActorView, send } from '../../api.ts';
import { Disclosure } from '../../components/Disclosure.tsx';
import { MachineConfirm } from '../../components/MachineConfirm.tsx';
import { Notice } from '../../components/Notice.tsx';
import { StatusExplained } from '../../components/StatusExplained.tsx';
import { providerDisclosure } from '../../disclosures.ts';
import { useAction } from '../../use-action.ts';
import { linkStatusWords, when } from '../../words.ts';

/** Requests waiting for the provider's answer. */
export function Requests({ pending }: { pending: ActorView[] }) {
  return (
    <section className="card" aria-label="Requests">
      <h1>Monitoring requests</h1>
      {pending.length === 0 && <p className="muted">No request is waiting for you.</p>}
      {pending.map((link) => (
        <Request key={link.id} link={link} />
      ))}
    </section>
  );
}

function Request({ link }: { link: ActorView }) {
  const action = useAction();
  const [agreed, setAgreed] = useState(false);
  const seeker = link.data.seeker_name as string;
  const confirming = link.data.step === 'confirming_decline';
  return (
    <article className="request" data-link={link.id}>
      <h2>{seeker} asks to monitor your background check</h2>
      <StatusExplained status={link.status} label={linkStatusWords[link.status]} /> <small className="muted">Received {when(link.data.requested_at)}</small>
      {action.error && <Notice>{action.error}</Notice>}
      {confirming ? (
        <MachineConfirm
          actor={link}
          question={`Decline ${seeker}'s request? They will be told that you declined.`}
          confirm={{ type: 'CONFIRM_DECLINE', label: 'Yes, decline' }}
          keep={{ type: 'KEEP', label: 'Go back' }}
          action={action}
        />
      ) : (
        <>
          <Disclosure text={providerDisclosure.text} agreed={agreed} onChange={setAgreed} />
          {link.can.includes('ACCEPT') && (
            <button
              type="button"
              disabled={!agreed || action.busy}
              onClick={() => action.run(() => send(link.id, 'ACCEPT', { disclosure_version: providerDisclosure.version }))}
            >
              Accept
            </button>
          )}
          {link.can.includes('DECLINE') && (
            <button type="button" className="secondary" disabled={action.busy} onClick={() => action.run(() => send(link.id, 'DECLINE'))}>
              Decline
            </button>
          )}
        </>
      )}
    </article>
  );
}
