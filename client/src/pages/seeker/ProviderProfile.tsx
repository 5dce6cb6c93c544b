import { useEffect, useRef, useState } from 'react';
import { type ActorView, request } from '../../api.ts';
import { BackgroundCheckBadge } from '../../components/BackgroundCheckBadge.tsx';
import { Notice } from '../../components/Notice.tsx';
import { StatusExplained } from '../../components/StatusExplained.tsx';
import { navigate, useLocation } from '../../router.ts';
import { useAction } from '../../use-action.ts';
import { linkStatusWords, MONITORING_LIMIT_HELP, when } from '../../words.ts';
import { GatedActions } from './GatedActions.tsx';
import { LinkActions } from './LinkActions.tsx';
import type { ProviderProfileView } from './ProviderDirectory.tsx';
import { RequestFlow } from './RequestFlow.tsx';
import { blockedByIdv, VerifyToMonitor } from './VerifyToMonitor.tsx';

const OPEN = ['draft', 'request_pending', 'active'];

/** A provider's profile; its Safety section is where a seeker asks for continuous monitoring (C2). */
export function ProviderProfile({ providerId, seeker, links }: { providerId: string; seeker: ActorView; links: ActorView[] }) {
  const [profile, setProfile] = useState<ProviderProfileView>();
  const [missing, setMissing] = useState<string>();
  const action = useAction();
  useEffect(() => {
    request<ProviderProfileView>('GET', `/v1/providers/${providerId}`).then(setProfile, (e: Error) => setMissing(e.message));
  }, [providerId]);
  const latest = links[0];
  const open = latest && OPEN.includes(latest.status) ? latest : undefined;
  const sentNow = useJustSent(open);

  const start = () => action.run(() => request('POST', '/v1/links', { seeker_id: seeker.id, provider_id: providerId }));

  return (
    <article className="card profile">
      <p>
        <a
          href="/seeker"
          onClick={(e) => {
            e.preventDefault();
            navigate('/seeker');
          }}
        >
          ← All providers
        </a>
      </p>
      <h1>{profile?.display_name ?? 'Provider'}</h1>
      {profile && <BackgroundCheckBadge check={profile.background_check} />}
      {profile && profile.account_status !== 'closed' && <GatedActions seeker={seeker} providerName={profile.display_name} />}
      <section className="safety" aria-label="Safety">
        <h2>Safety</h2>
        <h3>Continuous background check</h3>
        <p className="status-line">
          Status:{' '}
          {latest ? (
            <StatusExplained status={latest.status} label={linkStatusWords[latest.status]} testId="link-status" />
          ) : (
            <strong data-testid="link-status" data-status="none">
              Not requested
            </strong>
          )}
        </p>
        {missing && <Notice>{missing}</Notice>}
        {action.error && <Notice>{action.error}</Notice>}
        {open?.status === 'draft' && <RequestFlow link={open} seeker={seeker} />}
        {open?.status === 'request_pending' && (
          <>
            {sentNow ? (
              <Notice tone="success">
                <strong>Request sent.</strong> We told {open.data.provider_name}; you will hear from us as soon as they answer.
              </Notice>
            ) : (
              <p>
                Sent {when(open.data.requested_at)}. Waiting for {open.data.provider_name} to answer.
              </p>
            )}
            <LinkActions link={open} action={action} stopLabel="Stop monitoring" />
          </>
        )}
        {open?.status === 'active' && (
          <>
            <p>Monitoring since {when(open.data.accepted_at)}. We alert you if a record that warrants review comes up.</p>
            <LinkActions link={open} action={action} stopLabel="Stop monitoring" />
          </>
        )}
        {!open && <StartRequest seeker={seeker} busy={action.busy} ended={latest} onStart={start} closed={profile?.account_status === 'closed'} />}
      </section>
    </article>
  );
}

function StartRequest(props: { seeker: ActorView; ended?: ActorView; busy: boolean; closed: boolean; onStart: () => void }) {
  const { plan, monitoring } = props.seeker.data;
  const atLimit = monitoring.used >= monitoring.limit;
  const unverified = plan === 'complete' && blockedByIdv(props.seeker);
  return (
    <>
      {props.ended && <p className="muted">Last request ended {when(props.ended.data.ended_at)}. You can ask again.</p>}
      {plan !== 'complete' && <Notice tone="info">Continuous background checks come with the Complete plan.</Notice>}
      {props.closed && <Notice tone="info">This provider is no longer on the marketplace.</Notice>}
      {plan === 'complete' && atLimit && (
        <Notice tone="info">
          <span data-testid="limit-message">
            You have {monitoring.used} of {monitoring.limit} providers monitored or requested, the most at one time. {MONITORING_LIMIT_HELP}
          </span>{' '}
          <a
            href="/seeker?tab=checks"
            onClick={(e) => {
              e.preventDefault();
              navigate('/seeker?tab=checks');
            }}
          >
            Go to Background Checks
          </a>
        </Notice>
      )}
      {unverified && <VerifyToMonitor seeker={props.seeker} />}
      <button type="button" disabled={plan !== 'complete' || atLimit || unverified || props.closed || props.busy} onClick={props.onStart}>
        Request continuous background check
      </button>
    </>
  );
}

/** True once the request went out while this page was open, or right after coming back from ID.me. */
function useJustSent(link: ActorView | undefined): boolean {
  const url = useLocation();
  const previous = useRef(link?.status);
  const [sent, setSent] = useState(false);
  useEffect(() => {
    const fromIdme = url.searchParams.get('idme') === 'verified';
    if (link?.status === 'request_pending' && (previous.current === 'draft' || fromIdme)) setSent(true);
    previous.current = link?.status;
  }, [link?.status, url]);
  return sent && link?.status === 'request_pending';
}
