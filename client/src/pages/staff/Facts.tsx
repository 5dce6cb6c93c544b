import type { ReactNode } from 'react';

/** A list of labelled facts (term and value), laid out as two columns, one on a phone. */
export function Facts({ items, label }: { items: [string, ReactNode][]; label?: string }) {
  return (
    <dl className="staff-facts" aria-label={label}>
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value ?? <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
