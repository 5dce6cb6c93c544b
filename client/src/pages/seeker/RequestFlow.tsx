import { useState } from 'react';
import { type ActorView, request, send } from '../../api.ts';
import { Disclosure } from '../../components/Disclosure.tsx';
import { Notice } from '../../components/Notice.tsx';
import { seekerDisclosure } from '../../disclosures.ts';
import { useLocation } from '../../router.ts';
import { useAction } from '../../use-action.ts';
import { idmeWords } from '../../words.ts';

const STEPS = [
  { step: 'confirm_hire', label: 'Confirm hire' },
  { step: 'disclosures', label: 'Disclosures' },
  { step: 'identity', label: 'Verify identity' },
];

/** The steps of a draft request: hire confirmation (C2), disclosures (C3), ID.me when needed (C4). */
export function RequestFlow({ link, seeker }: { link: ActorView; seeker: ActorView }) {
  const action = useAction();
  const url = useLocation();
  const [agreed, setAgreed] = useState(false);
  const step = link.data.step as string;
  const name = link.data.provider_name as string;

  const verifyWithIdme = () =>
    action.run(async () => {
      const returnTo = `/seeker?provider=${link.data.provider_id}`;
      const { authorize_url } = await request<{ authorize_url: string }>('POST', `/v1/seekers/${seeker.id}/idme`, { return_to: returnTo });
      location.assign(authorize_url);
    });

  return (
    <div className="flow" role="group" aria-label="Request steps">
      <ol className="steps">
        {STEPS.map((s) => (
          <li key={s.step} aria-current={s.step === step ? 'step' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      {action.error && <Notice>{action.error}</Notice>}
      {step === 'confirm_hire' && (
        <>
          <p>
            <strong>Did you hire {name}?</strong> Continuous monitoring is only for providers you have hired.
          </p>
          <button type="button" disabled={action.busy || !link.can.includes('CONFIRM_HIRE')} onClick={() => action.run(() => send(link.id, 'CONFIRM_HIRE'))}>
            Yes, I hired {name}
          </button>
        </>
      )}
      {step === 'disclosures' && (
        <>
          <Disclosure text={seekerDisclosure.text} agreed={agreed} onChange={setAgreed} />
          <button
            type="button"
            disabled={!agreed || action.busy || !link.can.includes('ACCEPT_DISCLOSURES')}
            onClick={() => action.run(() => send(link.id, 'ACCEPT_DISCLOSURES', { disclosure_version: seekerDisclosure.version }))}
          >
            Agree and continue
          </button>
        </>
      )}
      {step === 'identity' && (
        <>
          {url.searchParams.get('idme') === 'denied' && <Notice>{idmeWords.denied}</Notice>}
          {url.searchParams.get('idme') === 'verified' ? (
            <Notice tone="info">{idmeWords.verified}</Notice>
          ) : (
            <>
              <p>{idmeWords.why}</p>
              <button type="button" disabled={action.busy} onClick={verifyWithIdme}>
                Verify with ID.me
              </button>
            </>
          )}
        </>
      )}
      {link.can.includes('CANCEL_REQUEST') && (
        <button type="button" className="link" disabled={action.busy} onClick={() => action.run(() => send(link.id, 'CANCEL_REQUEST'))}>
          Cancel request
        </button>
      )}
    </div>
  );
}
