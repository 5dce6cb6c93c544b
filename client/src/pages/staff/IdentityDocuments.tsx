import { useEffect, useState } from 'react';
import { type Address, addressLine } from '../../../../machines/address.ts';
import { type ActorView, objectUrl } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { day } from '../../words.ts';
import { useFetched } from './use-fetched.ts';
import { documentTypeLabels, outcomeLabels, photoLabels, veriffDecisionLabels, veriffReasonLabels, reviewWords as words } from './words.ts';

type Text = string | null;
interface Documents {
  decision: {
    status: string;
    code: number | null;
    reason: Text;
    reason_code: number | null;
    person: { first_name: Text; last_name: Text; dob: Text } | null;
    document: { type: Text; number: Text; country: Text; valid_until: Text } | null;
  } | null;
  images: { id: string; context: string; url: string }[];
}

/**
 * What the reviewer decides on (I8): the photos Veriff holds, Veriff's decision and reason in
 * words, and the legal information the seeker submitted beside what Veriff read from the document.
 */
export function IdentityDocuments({ seeker }: { seeker: ActorView }) {
  const { data, error } = useFetched<Documents>(`/v1/seekers/${encodeURIComponent(seeker.id)}/identity_documents`, seeker.version);
  if (error) return <Notice>{error}</Notice>;
  if (!data) return <p className="muted">Loading the documents…</p>;
  const { decision } = data;
  const legal = seeker.data.legal_info as (Record<string, string> & { address: Address }) | undefined;
  const person = decision?.person;
  const doc = decision?.document;
  const joined = (...parts: Text[]) => parts.filter(Boolean).join(' ') || null;
  const rows: [string, Text, Text][] = [
    ['Legal name', legal ? `${legal.legal_first_name} ${legal.legal_last_name}` : null, person ? joined(person.first_name, person.last_name) : null],
    ['Date of birth', legal?.dob ? day(legal.dob) : null, person?.dob ? day(person.dob) : null],
    ['Address', legal ? addressLine(legal.address) : null, null],
    ['Mobile phone', legal?.phone ?? null, null],
    ['Document', null, doc ? joined(documentTypeLabels[doc.type ?? ''] ?? doc.type, doc.country && `(${doc.country})`) : null],
    ['Document number', null, doc?.number ?? null],
    ['Valid until', null, doc?.valid_until ? day(doc.valid_until) : null],
  ];
  const same = (a: string, b: string) =>
    a
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .trim() ===
    b
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .trim();
  return (
    <div className="staff-documents">
      <section aria-labelledby={`photos-${seeker.id}`}>
        <h3 id={`photos-${seeker.id}`}>{words.photos}</h3>
        {data.images.length === 0 ? (
          <p className="muted">{words.noPhotos}</p>
        ) : (
          <div className="staff-photos">
            {data.images.map((image) => (
              <Photo key={image.id} url={image.url} label={photoLabels[image.context] ?? image.context} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby={`decision-${seeker.id}`}>
        <h3 id={`decision-${seeker.id}`}>{words.decision}</h3>
        {!decision ? (
          <p className="muted">{words.noDecision}</p>
        ) : (
          <p data-testid="veriff-decision">
            {(decision.code !== null && veriffDecisionLabels[decision.code]) || outcomeLabels[decision.status] || decision.status}
            {(decision.reason_code !== null || decision.reason) && (
              <>
                {'. Reason: '}
                <strong>{(decision.reason_code !== null && veriffReasonLabels[decision.reason_code]) || decision.reason}</strong>
              </>
            )}
            {decision.code !== null && (
              <small className="muted"> (Veriff code {[decision.code, decision.reason_code].filter((c) => c !== null).join(', ')})</small>
            )}
          </p>
        )}
      </section>
      <table className="staff-table stacked-table" aria-label={words.compare}>
        <caption className="visually-hidden">{words.compare}</caption>
        <thead>
          <tr>
            <td />
            <th scope="col">{words.submitted}</th>
            <th scope="col">{words.read}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, submitted, read]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td data-label={words.submitted}>{submitted ?? <span className="muted">—</span>}</td>
              <td data-label={words.read}>
                {read ?? <span className="muted">—</span>}
                {submitted && read && !same(submitted, read) && <span className="badge staff-differs"> {words.differs}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One photo, fetched with the session (an `<img>` cannot send it) and shown from memory. */
function Photo({ url, label }: { url: string; label: string }) {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let made: string | undefined;
    objectUrl(url).then(
      (object) => {
        if (!live) return URL.revokeObjectURL(object);
        made = object;
        setSrc(object);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return (
    <figure className="staff-photo">
      {src ? (
        <a href={src} target="_blank" rel="noreferrer">
          <img src={src} alt={label} />
        </a>
      ) : (
        <p className="muted">{failed ? 'The photo could not be loaded.' : 'Loading…'}</p>
      )}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
