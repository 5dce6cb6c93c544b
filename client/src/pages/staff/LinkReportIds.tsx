import { useState } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { useActor } from '../../live.ts';
import { when } from '../../words.ts';

/** Reports the monitoring vendor delivered to a link (C12): their ids, and details on demand. */
export function LinkReportIds({ reports }: { reports: string[] }) {
  const [open, setOpen] = useState<string>();
  if (reports.length === 0) return <p className="muted staff-small">No record reports.</p>;
  return (
    <div className="staff-reports">
      <span className="staff-small">Record reports:</span>
      <ul aria-label="Record reports">
        {reports.map((id) => (
          <li key={id}>
            <code>{id}</code>{' '}
            <button type="button" className="link" aria-expanded={open === id} onClick={() => setOpen(open === id ? undefined : id)}>
              {open === id ? 'Hide details' : 'Details'}
            </button>
            {open === id && <ReportDetails id={id} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReportDetails({ id }: { id: string }) {
  const { actor: report, error } = useActor(id);
  if (error) return <Notice>{error}</Notice>;
  if (!report) return <p className="muted">Loading…</p>;
  const screenings = (report.data.screenings ?? []) as { id: string; type: string; status?: string; result?: string | null; records?: unknown[] }[];
  return (
    <div className="staff-report">
      <p className="staff-small">
        Status <strong>{report.status}</strong>, result <strong>{report.data.result ?? 'pending'}</strong>, created {when(report.created_at)}
      </p>
      <ul className="staff-small">
        {screenings.map((s) => (
          <li key={s.id}>
            {s.type.replaceAll('_', ' ')}: {s.result ?? s.status ?? 'pending'} ({s.records?.length ?? 0} records)
          </li>
        ))}
      </ul>
    </div>
  );
}
