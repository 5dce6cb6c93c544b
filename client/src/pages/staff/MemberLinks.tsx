import type { ActorView } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { when } from '../../words.ts';
import { LinkReportIds } from './LinkReportIds.tsx';
import { RemoveOnBehalf } from './RemoveOnBehalf.tsx';
import { SubjectLink } from './SubjectLink.tsx';
import { draftStepLabels, linkStatusLabels } from './words.ts';

/** A member's continuous-monitoring links, with their status, reports and removal on the member's behalf (C14). */
export function MemberLinks({ member, links, error }: { member: ActorView; links: ActorView[]; error?: string }) {
  const side = member.kind === 'provider' ? 'provider' : 'seeker';
  const other = side === 'seeker' ? 'provider' : 'seeker';
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">Continuous monitoring links</h2>
      {error && <Notice>{error}</Notice>}
      {links.length === 0 && <p className="muted">No links.</p>}
      <ul className="rows staff-links" aria-label="Links">
        {links.map((link) => (
          <li key={link.id} data-link={link.id} data-status={link.status}>
            <div className="staff-link-main">
              <div>
                <SubjectLink id={link.data[`${other}_id`]} label={link.data[`${other}_name`]} />{' '}
                <span className={`badge ${link.status}`} data-testid="staff-link-status">
                  {linkStatusLabels[link.status] ?? link.status}
                </span>
                {link.data.step && <small className="muted"> ({draftStepLabels[link.data.step] ?? link.data.step})</small>}
              </div>
              <div className="muted staff-small">
                <code>{link.id}</code>
                {link.data.requested_at && <> · requested {when(link.data.requested_at)}</>}
                {link.data.accepted_at && <> · accepted {when(link.data.accepted_at)}</>}
                {link.data.ended_at && <> · ended {when(link.data.ended_at)}</>}
                {link.data.reason && <> · reason {String(link.data.reason)}</>}
              </div>
              <LinkReportIds reports={link.data.reports ?? []} />
            </div>
            <RemoveOnBehalf link={link} defaultSide={side} />
          </li>
        ))}
      </ul>
    </section>
  );
}
