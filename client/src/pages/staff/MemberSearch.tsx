import { useEffect, useState } from 'react';
import type { ActorView, List } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { MemberName } from './MemberName.tsx';
import { staffHref } from './routes.ts';
import { StaffLink } from './StaffLink.tsx';
import { useFetched } from './use-fetched.ts';
import { accountLabels, idvStatusLabels, planLabels } from './words.ts';

/** Finds seekers and providers by name, email, phone or id (`GET /v1/members?q=`). */
export function MemberSearch({ q }: { q: string }) {
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  const searching = q.trim().length >= 2;
  const { data, error } = useFetched<List<ActorView>>(searching ? `/v1/members?q=${encodeURIComponent(q.trim())}&per_page=50` : undefined, q);
  return (
    <section className="card" aria-labelledby="member-search-title">
      <h1 id="member-search-title">Find a member</h1>
      <form
        className="staff-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(staffHref.members(typed.trim()));
        }}
      >
        <label htmlFor="member-query">Name, email, phone or id</label>
        <div className="staff-row">
          <input
            id="member-query"
            type="search"
            value={typed}
            minLength={2}
            maxLength={200}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="e.g. Sam Starter, sam@…, 555 0100, skr_…"
          />
          <button type="submit" disabled={typed.trim().length < 2}>
            Search
          </button>
        </div>
      </form>
      {!searching && <p className="muted">Type at least 2 characters.</p>}
      {searching && error && <Notice>{error}</Notice>}
      {searching && data && (
        <>
          <p role="status" className="muted">
            {data.count === 0 ? 'No member matches.' : `${data.count} ${data.count === 1 ? 'member matches' : 'members match'}.`}
          </p>
          <ul className="rows staff-results" aria-label="Search results">
            {data.data.map((member) => (
              <li key={member.id}>
                <div>
                  <StaffLink href={staffHref.member(member.id)}>
                    <MemberName member={member} />
                  </StaffLink>{' '}
                  <span className="badge">{member.kind}</span>
                  <div className="muted staff-small">
                    {member.data.email} · <code>{member.id}</code>
                  </div>
                </div>
                <div className="staff-small">
                  {member.kind === 'seeker' && (
                    <>
                      {planLabels[member.data.plan] ?? member.data.plan} · {idvStatusLabels[member.data.idv_status] ?? member.data.idv_status} ·{' '}
                    </>
                  )}
                  {accountLabels[member.data.account_status] ?? member.data.account_status}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
