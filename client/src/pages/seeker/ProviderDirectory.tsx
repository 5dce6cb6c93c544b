import { useEffect, useState } from 'react';
import { type ActorView, type List, request } from '../../api.ts';
import type { BackgroundCheck } from '../../components/BackgroundCheckBadge.tsx';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import { linkStatusWords, directoryWords as w } from '../../words.ts';

export interface ProviderProfileView {
  id: string;
  display_name: string;
  account_status: string;
  background_check: BackgroundCheck | null;
}

/**
 * The marketplace's providers, each leading to their profile, with where continuous monitoring
 * stands between this seeker and them (their latest request), searchable by name.
 */
export function ProviderDirectory({ links }: { links: ActorView[] }) {
  const [providers, setProviders] = useState<ProviderProfileView[]>();
  const [error, setError] = useState<string>();
  const [query, setQuery] = useState('');
  useEffect(() => {
    request<List<ProviderProfileView>>('GET', '/v1/providers?per_page=100').then(
      (list) => setProviders(list.data),
      (e: Error) => setError(e.message),
    );
  }, []);
  // `links` come newest first: the first one per provider is where things stand.
  const latest = new Map<string, ActorView>();
  for (const link of links) if (!latest.has(link.data.provider_id)) latest.set(link.data.provider_id, link);
  const term = query.trim().toLowerCase();
  const shown = providers?.filter((p) => p.display_name.toLowerCase().includes(term));
  return (
    <section className="card">
      <h1>Providers</h1>
      {error && <Notice>{error}</Notice>}
      <div className="directory-search" role="search">
        <label htmlFor="provider-search">{w.search}</label>
        <input id="provider-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={w.searchHint} />
      </div>
      {shown && term && (
        <p className="muted" role="status">
          {w.found(shown.length)}
        </p>
      )}
      <ul className="rows" aria-label={w.list}>
        {shown?.map((p) => {
          const link = latest.get(p.id);
          return (
            <li key={p.id}>
              <span>
                <a
                  href={`/seeker?provider=${p.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/seeker?provider=${p.id}`);
                  }}
                >
                  {p.display_name}
                </a>
                {p.account_status === 'closed' && <small className="muted"> · no longer on the marketplace</small>}
              </span>
              <span className={`badge ${link?.status ?? ''}`} data-testid="directory-monitoring">
                {w.monitoring}: {link ? linkStatusWords[link.status] : w.notRequested}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
