import { type ActorView, send } from '../../api.ts';
import { EndedLinks } from '../../components/EndedLinks.tsx';
import { MachineConfirm } from '../../components/MachineConfirm.tsx';
import { Notice } from '../../components/Notice.tsx';
import { StatusExplained } from '../../components/StatusExplained.tsx';
import { useAction } from '../../use-action.ts';
import { linkStatusWords, when } from '../../words.ts';
import { OwnCheck } from './OwnCheck.tsx';

/** The provider's Background Check page: who monitors them, and removing that access (C10, C13). */
export function Monitors({ links, providerId }: { links: ActorView[]; providerId: string }) {
  const active = links.filter((l) => l.status === 'active');
  const past = links.filter((l) => !['active', 'request_pending'].includes(l.status));
  return (
    <section className="card" aria-label="Background Check">
      <h1>Background Check</h1>
      <OwnCheck providerId={providerId} />
      <h2>Who monitors you</h2>
      {active.length === 0 && <p className="muted">Nobody monitors your background check.</p>}
      <ul className="rows" aria-label="Who monitors you">
        {active.map((link) => (
          <Monitor key={link.id} link={link} />
        ))}
      </ul>
      <h2>Past</h2>
      <EndedLinks label="Past" links={past} other="seeker" outcomes={linkStatusWords} />
    </section>
  );
}

function Monitor({ link }: { link: ActorView }) {
  const action = useAction();
  const seeker = link.data.seeker_name as string;
  return (
    <li data-link={link.id}>
      <div>
        {seeker} <StatusExplained status="active" label={linkStatusWords.active} />
        <small className="muted"> since {when(link.data.accepted_at)}</small>
      </div>
      {action.error && <Notice>{action.error}</Notice>}
      {link.data.step === 'confirming_removal' ? (
        <MachineConfirm
          actor={link}
          question={`Remove ${seeker}'s access? Monitoring stops and they are told.`}
          confirm={{ type: 'CONFIRM_REMOVE_ACCESS', label: 'Yes, remove access' }}
          keep={{ type: 'KEEP', label: 'Keep access' }}
          action={action}
        />
      ) : (
        link.can.includes('REMOVE_ACCESS') && (
          <button type="button" className="secondary" disabled={action.busy} onClick={() => action.run(() => send(link.id, 'REMOVE_ACCESS'))}>
            Remove access
          </button>
        )
      )}
    </li>
  );
}
