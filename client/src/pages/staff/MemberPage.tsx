import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import type { Session } from '../../session.ts';
import { AuditTimeline } from './AuditTimeline.tsx';
import { Inbox } from './Inbox.tsx';
import { LegalInfo } from './LegalInfo.tsx';
import { MemberCases } from './MemberCases.tsx';
import { MemberLinks } from './MemberLinks.tsx';
import { memberName } from './MemberName.tsx';
import { MemberSummary } from './MemberSummary.tsx';
import { RefundForm } from './RefundForm.tsx';
import { staffHref } from './routes.ts';
import { ScreeningHistory } from './ScreeningHistory.tsx';
import { StaffLink } from './StaffLink.tsx';
import { useMemberLinks } from './use-member-links.ts';

/** One member as staff see them: everything live from the socket, actions only as `can` allows. */
export function MemberPage({ id, session }: { id: string; session: Session }) {
  const { actor: member, error } = useActor(id);
  const { links, error: linksError } = useMemberLinks(id);
  if (error) return <Notice>{error}</Notice>;
  if (!member) return <p className="muted">Loading…</p>;
  const seeker = member.kind === 'seeker';
  const activity = `${member.version}|${links.map((l) => `${l.id}@${l.version}`).join(',')}`;
  return (
    <div className="staff-member" data-member={member.id}>
      <p>
        <StaffLink href={staffHref.members()}>← Find a member</StaffLink>
      </p>
      <h1>
        {memberName(member)} <span className="badge">{member.kind}</span>
      </h1>
      <p className="muted staff-small">
        <code>{member.id}</code>
      </p>
      <div className="staff-columns">
        <div>
          <MemberSummary member={member} role={session.role} />
          {seeker && <LegalInfo seeker={member} role={session.role} />}
          <MemberLinks member={member} links={links} error={linksError} />
          {seeker && <ScreeningHistory seekerId={member.id} version={member.version} />}
        </div>
        <div>
          <MemberCases memberId={member.id} role={session.role} />
          {seeker && <RefundForm seeker={member} />}
          {seeker && <Inbox seekerId={member.id} refreshKey={activity} />}
          <AuditTimeline member={member} links={links} />
        </div>
      </div>
    </div>
  );
}
