import { Notice } from '../../components/Notice.tsx';
import { Shell } from '../../components/Shell.tsx';
import { useActor, useActors } from '../../live.ts';
import { useLocation } from '../../router.ts';
import type { Session } from '../../session.ts';
import { idvWords } from '../../words.ts';
import { BackgroundChecks } from './BackgroundChecks.tsx';
import { IDENTITY_TAB } from './idv.ts';
import { ProviderDirectory } from './ProviderDirectory.tsx';
import { ProviderProfile } from './ProviderProfile.tsx';
import { IdvBanner, Verification } from './Verification.tsx';

/** The seeker's dashboard: providers' profiles with their Safety section, Background Checks and Identity verification. */
export function SeekerApp({ session }: { session: Session }) {
  const url = useLocation();
  const { actor: seeker, error } = useActor(session.subject);
  const { actors: links, error: linksError } = useActors('link');
  const provider = url.searchParams.get('provider');
  const asked = url.searchParams.get('tab');
  // Veriff's hosted page sends the seeker back to `/seeker?veriff=submitted`: their verification.
  const tab = asked === 'checks' ? 'checks' : asked === 'identity' || (!asked && url.searchParams.has('veriff')) ? 'identity' : 'providers';
  return (
    <Shell
      session={session}
      title={tab === 'providers' ? (provider ? 'Provider profile' : 'Providers') : tab === 'checks' ? 'Background Checks' : idvWords.heading}
      tabs={[
        { href: '/seeker', label: 'Providers', current: tab === 'providers' },
        { href: '/seeker?tab=checks', label: 'Background Checks', current: tab === 'checks' },
        { href: IDENTITY_TAB, label: idvWords.tab, current: tab === 'identity' },
      ]}
    >
      {(error ?? linksError) && <Notice>{error ?? linksError}</Notice>}
      {seeker && tab !== 'identity' && <IdvBanner seeker={seeker} />}
      {seeker && tab === 'identity' && <Verification seeker={seeker} />}
      {seeker && tab === 'checks' && <BackgroundChecks seeker={seeker} links={links} />}
      {seeker && tab === 'providers' && !provider && <ProviderDirectory links={links} />}
      {seeker && tab === 'providers' && provider && (
        <ProviderProfile providerId={provider} seeker={seeker} links={links.filter((l) => l.data.provider_id === provider)} />
      )}
    </Shell>
  );
}
