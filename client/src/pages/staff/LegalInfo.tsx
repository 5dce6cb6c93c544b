import { type Address, addressLine } from '../../../../machines/address.ts';
import type { ActorView } from '../../api.ts';
import type { Session } from '../../session.ts';
import { when } from '../../words.ts';
import { Facts } from './Facts.tsx';

/** I3: the seeker's locked legal information, in full for reviewers and masked for agents (as the API returns it). */
export function LegalInfo({ seeker, role }: { seeker: ActorView; role: Session['role'] }) {
  const info = seeker.data.legal_info as (Record<string, string> & { address: Address }) | null | undefined;
  return (
    <section className="card" aria-labelledby="legal-title">
      <h2 id="legal-title">Legal information</h2>
      {!info ? (
        <p className="muted">Not submitted yet.</p>
      ) : (
        <>
          <p className="muted staff-small">
            Submitted {when(info.submitted_at)} and locked: nobody can change it.
            {role === 'agent' && ' Masked for agents; reviewers see it in full.'}
          </p>
          <Facts
            label="Legal information"
            items={[
              ['Legal name', `${info.legal_first_name} ${info.legal_last_name}`],
              ['Date of birth', info.dob],
              ['Address', addressLine(info.address)],
              ['Mobile phone', info.phone],
            ]}
          />
        </>
      )}
    </section>
  );
}
