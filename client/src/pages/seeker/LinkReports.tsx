import { useState } from 'react';
import { type ActorView, send } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import { useAction } from '../../use-action.ts';
import { when } from '../../words.ts';

interface Charge {
  charge?: string;
  classification?: string;
  disposition?: string;
  offense_date?: string;
}

interface CriminalRecord {
  case_number?: string;
  court_of_record?: string;
  county?: string;
  state?: string;
  file_date?: string;
  charges?: Charge[];
}

/** Reports the monitoring vendor found for a link (C12): open one, and report a concern about it. */
export function LinkReports({ link }: { link: ActorView }) {
  const [open, setOpen] = useState<string>();
  const reports = link.data.reports as string[];
  if (reports.length === 0) return null;
  return (
    <div className="reports">
      {reports.map((id, i) => (
        <div key={id}>
          <button type="button" className="link" aria-expanded={open === id} onClick={() => setOpen(open === id ? undefined : id)}>
            {open === id ? 'Hide' : 'Open'} record report {i + 1}
          </button>
          {open === id && <Report id={id} link={link} />}
        </div>
      ))}
    </div>
  );
}

function Report({ id, link }: { id: string; link: ActorView }) {
  const { actor: report, error } = useActor(id);
  const action = useAction();
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  if (error) return <Notice>{error}</Notice>;
  if (!report) return <p className="muted">Loading…</p>;
  const screenings = report.data.screenings as { id: string; type: string; result: string | null; records: CriminalRecord[] }[];
  return (
    <section className="report" aria-label="Record report">
      <p>
        Found {when(report.created_at)} · result <strong>{report.data.result ?? 'pending'}</strong>
      </p>
      {screenings.map((s) => (
        <div key={s.id}>
          <h4>{s.type.replaceAll('_', ' ')}</h4>
          {s.records.map((r, i) => (
            <dl
              // biome-ignore lint/suspicious/noArrayIndexKey: a report's records never change order
              key={i}
              className="record"
            >
              <dt>Case</dt>
              <dd>{r.case_number}</dd>
              <dt>Court</dt>
              <dd>{[r.court_of_record, r.county, r.state].filter(Boolean).join(', ')}</dd>
              <dt>Filed</dt>
              <dd>{r.file_date}</dd>
              {r.charges?.map((c, j) => (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: a record's charges never change order
                  key={j}
                  className="charge"
                >
                  <dt>Charge</dt>
                  <dd>
                    {c.charge} ({c.classification}) — {c.disposition}, {c.offense_date}
                  </dd>
                </div>
              ))}
            </dl>
          ))}
        </div>
      ))}
      {action.error && <Notice>{action.error}</Notice>}
      {sent ? (
        <Notice tone="success">Thank you. Our safety team will look into your concern.</Notice>
      ) : (
        link.can.includes('REPORT_CONCERN') && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void action.run(async () => {
                await send(link.id, 'REPORT_CONCERN', { report_id: id, text });
                setSent(true);
              });
            }}
          >
            <label>
              Report a concern about this record
              <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} rows={3} />
            </label>
            <button type="submit" disabled={action.busy || text.trim().length === 0}>
              Send to the safety team
            </button>
          </form>
        )
      )}
    </section>
  );
}
