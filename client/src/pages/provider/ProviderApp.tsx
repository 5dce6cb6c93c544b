import { Notice } from '../../components/Notice.tsx';
import { Shell } from '../../components/Shell.tsx';
import { useActors } from '../../live.ts';
import { useLocation } from '../../router.ts';
import type { Session } from '../../session.ts';
import { Monitors } from './Monitors.tsx';
import { Requests } from './Requests.tsx';

/** The provider's dashboard: requests to answer (C7, C8) and who monitors them (C10, C13). */
export function ProviderApp({ session }: { session: Session }) {
  const url = useLocation();
  const { actors: links, error: linksError } = useActors('link');
  const tab = url.searchParams.get('tab') === 'checks' ? 'checks' : 'requests';
  const pending = links.filter((l) => l.status === 'request_pending');
  return (
    <Shell
      session={session}
      title={tab === 'requests' ? 'Requests' : 'Background Check'}
      tabs={[
        { href: '/provider', label: `Requests${pending.length ? ` (${pending.length})` : ''}`, current: tab === 'requests' },
        { href: '/provider?tab=checks', label: 'Background Check', current: tab === 'checks' },
      ]}
    >
      {linksError && <Notice>{linksError}</Notice>}
      {tab === 'requests' ? <Requests pending={pending} /> : <Monitors links={links} providerId={session.subject} />}
    </Shell>
  );
}
