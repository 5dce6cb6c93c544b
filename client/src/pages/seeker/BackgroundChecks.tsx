import type { ActorView } from '../../api.ts';
import { EndedLinks } from '../../components/EndedLinks.tsx';
import { Notice } from '../../components/Notice.tsx';
import { StatusExplained } from '../../components/StatusExplained.tsx';
import { navigate } from '../../router.ts';
import { useAction } from '../../use-action.ts';
import { linkStatusWords, MONITORING_LIMIT_HELP, when } from '../../words.ts';
import { LinkActions } from './LinkActions.tsx';
import { LinkReports } from './LinkReports.tsx';

const CURRENT = ['request_pending', 'active'];

/** C13: active links, previous requests with their outcome, removing and cancelling. */
export function BackgroundChecks({ seeker, links }: { seeker: ActorView; links: ActorView[] }) {
  const action = useAction();
  const { used, limit } = seeker.data.monitoring;
  const current = links.filter((l) => CURRENT.includes(l.status));
  const unfinished = links.filter((l) => l.status === 'draft');
  const previous = links.filter((l) => !CURRENT.includes(l.status) && l.status !== 'draft');
  const open = (link: ActorView) => navigate(`/seeker?provider=${link.data.provider_id}`);

  return (
    <section className="card" aria-label="Background Checks">
      <h1>Background Checks</h1>
      <h2>Continuous Background Checks</h2>
      <p className="usage" data-testid="monitoring-usage">
        <meter min={0} max={limit} value={used} /> {used} of {limit} providers monitored or requested
      </p>
      {used >= limit && (
        <Notice tone="info">
          You have reached the limit of {limit}. {MONITORING_LIMIT_HELP}
        </Notice>
      )}
      {action.error && <Notice>{action.error}</Notice>}

      <h3>Active</h3>
      {current.length === 0 && <p className="muted">No provider is monitored. Start from a provider's profile.</p>}
      <ul className="rows" aria-label="Active">
        {current.map((link) => (
          <li key={link.id} data-link={link.id}>
            <div>
              <button type="button" className="link" onClick={() => open(link)}>
                {link.data.provider_name}
              </button>{' '}
              <StatusExplained status={link.status} label={linkStatusWords[link.status]} />
              <small className="muted"> {link.status === 'active' ? `since ${when(link.data.accepted_at)}` : `sent ${when(link.data.requested_at)}`}</small>
              <LinkReports link={link} />
            </div>
            <LinkActions link={link} action={action} stopLabel="Remove provider" />
          </li>
        ))}
      </ul>

      {unfinished.length > 0 && (
        <>
          <h3>Not finished</h3>
          <ul className="rows">
            {unfinished.map((link) => (
              <li key={link.id}>
                <button type="button" className="link" onClick={() => open(link)}>
                  {link.data.provider_name}
                </button>{' '}
                <small className="muted">started {when(link.created_at)} — continue from their profile</small>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3>Previous requests</h3>
      <EndedLinks label="Previous requests" links={previous} other="provider" outcomes={linkStatusWords} />
    </section>
  );
}
