import { type Address, addressLine } from '../../../../machines/address.ts';
import { day, legalInfoWords as w, when } from '../../words.ts';

export interface LegalInfoView {
  legal_first_name: string;
  legal_last_name: string;
  dob: string;
  address: Address;
  phone: string;
  submitted_at: string;
}

/** The seeker's legal information, read-only: locked once submitted (I3); nobody changes it, support included. */
export function LegalInformation({ info }: { info: LegalInfoView }) {
  return (
    <section className="card legal-info" aria-labelledby="legal-info-title">
      <h2 id="legal-info-title">
        {w.title} <span className="badge locked">{w.locked}</span>
      </h2>
      <dl className="facts">
        <dt>{w.name}</dt>
        <dd>
          {info.legal_first_name} {info.legal_last_name}
        </dd>
        <dt>{w.dob}</dt>
        <dd>{day(info.dob)}</dd>
        <dt>{w.address}</dt>
        <dd>{addressLine(info.address)}</dd>
        <dt>{w.phone}</dt>
        <dd>{info.phone}</dd>
        <dt>{w.submitted}</dt>
        <dd>{when(info.submitted_at)}</dd>
      </dl>
      <p className="muted">{w.lockedHelp}</p>
    </section>
  );
}
