import { Shell } from '../../components/Shell.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useActor, useActors } from '../../live.ts';
import { useLocation } from '../../router.ts';
import type { Session } from '../../session.ts';
import { BackgroundChecks } from './BackgroundChecks.tsx';
import { ProviderDirectory } from './ProviderDirectory.tsx';
import { ProviderProfile } from './ProviderProfile.tsx';

/** The seeker's dashboard: providers' profiles with their Safety section, and Background Checks. */
export function SeekerApp({ session }: { session: Session }) {
  const url = useLocation();
  const { actor: seeker, error } = useActor(session.subject);
  const { actors: links, error: linksError } = useActors('link');
  const provider = url.searchParams.get('provider');
  const tab = url.searchParams.get('tab') === 'checks' ? 'checks' : 'providers';
  return (
    <Shell
      session={session}
      tabs={[
        { href: '/seeker', label: 'Providers', current: tab === 'providers' },
        { href: '/seeker?tab=checks', label: 'Background Checks', current: tab === 'checks' },
      ]}
    >
      {(error ?? linksError) && <Notice>{error ?? linksError}</Notice>}
      {seeker && tab === 'checks' && <BackgroundChecks seeker={seeker} links={links} />}
      {seeker && tab === 'providers' && !provider && <ProviderDirectory />}
      {seeker && tab === 'providers' && provider && (
        <ProviderProfile providerId={provider} seeker={seeker} links={links.filter((l) => l.data.provider_id === provider)} />
      )}
    </Shell>
  );
}
