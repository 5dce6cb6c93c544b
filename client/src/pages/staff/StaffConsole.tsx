import { Shell } from '../../components/Shell.tsx';
import { useLocation } from '../../router.ts';
import type { Session } from '../../session.ts';
import { CasePage } from './CasePage.tsx';
import { CaseQueues } from './CaseQueues.tsx';
import { MemberPage } from './MemberPage.tsx';
import { MemberSearch } from './MemberSearch.tsx';
import { staffHref } from './routes.ts';
import { tabLabels } from './words.ts';
import './staff.css';

/**
 * The staff console (agents and reviewers): case queues and cases, member search and member
 * pages. Every view follows the socket (`actor.changed`, `case.changed`); actions come from `can`.
 */
export function StaffConsole({ session }: { session: Session }) {
  const url = useLocation();
  const params = url.searchParams;
  const caseId = params.get('case');
  const memberId = params.get('member');
  const tab = memberId || params.get('tab') === 'members' ? 'members' : 'cases';
  return (
    <Shell
      session={session}
      title={caseId ? 'Case' : memberId ? 'Member' : tab === 'members' ? 'Find a member' : 'Cases'}
      tabs={[
        { href: staffHref.cases(), label: tabLabels.cases, current: tab === 'cases' },
        { href: staffHref.members(), label: tabLabels.members, current: tab === 'members' },
        { href: '/ops', label: tabLabels.ops, current: false },
      ]}
    >
      <div className="staff">
        {caseId ? (
          <CasePage key={caseId} id={caseId} session={session} />
        ) : memberId ? (
          <MemberPage key={memberId} id={memberId} session={session} />
        ) : tab === 'members' ? (
          <MemberSearch q={params.get('q') ?? ''} />
        ) : (
          <CaseQueues queue={params.get('queue') || undefined} status={params.get('status') ?? 'open'} session={session} />
        )}
      </div>
    </Shell>
  );
}
