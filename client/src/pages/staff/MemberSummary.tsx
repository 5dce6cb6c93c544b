import type { ActorView } from '../../api.ts';
import type { Session } from '../../session.ts';
import { when } from '../../words.ts';
import { Facts } from './Facts.tsx';
import { accountLabels, idvStatusLabels, idvStepLabels, methodLabels, planLabels, verifiedByLabels } from './words.ts';

/** Account, plan and identity verification of a member, as the API shows them to this role. */
export function MemberSummary({ member, role }: { member: ActorView; role: Session['role'] }) {
  const d = member.data;
  const hidden = <span className="muted">hidden for agents</span>;
  const account: [string, React.ReactNode][] = [
    [
      'Email',
      <span key="email" className="staff-wrap">
        {d.email}
      </span>,
    ],
    ['Phone', d.phone ?? (role === 'agent' && member.kind === 'provider' ? hidden : null)],
    [
      'Account',
      <span key="account" className={`badge account-${d.account_status}`}>
        {accountLabels[d.account_status] ?? d.account_status}
      </span>,
    ],
    ['Member since', when(member.created_at)],
  ];
  if (member.kind !== 'seeker') {
    return (
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <Facts items={account} label="Account" />
      </section>
    );
  }
  const idv = d.idv ?? {};
  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">Account and plan</h2>
      <Facts
        label="Account and plan"
        items={[
          ...account,
          ['Plan', planLabels[d.plan] ?? d.plan],
          ['Continuous checks', `${d.monitoring?.used ?? 0} of ${d.monitoring?.limit ?? 3} used · ID.me ${d.idme_verified ? 'completed' : 'not completed'}`],
        ]}
      />
      <h3>Identity verification</h3>
      <Facts
        label="Identity verification"
        items={[
          [
            'Status',
            <strong key="idv" data-testid="idv-status" data-status={d.idv_status} className={`staff-idv ${d.idv_status}`}>
              {idvStatusLabels[d.idv_status] ?? d.idv_status}
            </strong>,
          ],
          ['Step', idv.step ? `${idvStepLabels[idv.step] ?? idv.step}` : null],
          ['Method', idv.method ? (methodLabels[idv.method] ?? idv.method) : null],
          ['Verified by', idv.verified_by ? `${verifiedByLabels[idv.verified_by] ?? idv.verified_by}, ${when(idv.verified_at)}` : null],
          ...(idv.message ? [['Last message', idv.message] as [string, React.ReactNode]] : []),
        ]}
      />
    </section>
  );
}
