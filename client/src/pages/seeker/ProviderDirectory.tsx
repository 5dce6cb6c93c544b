import { useEffect, useState } from 'react';
import { request, type List } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { navigate } from '../../router.ts';
import type { BackgroundCheck } from '../../components/BackgroundCheckBadge.tsx';

export interface ProviderProfileView {
  id: string;
  display_name: string;
  account_status: string;
  background_check: BackgroundCheck | null;
}

/** The marketplace's providers, each leading to their profile. */
export function ProviderDirectory() {
  const [providers, setProviders] = useState<ProviderProfileView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    request<List<ProviderProfileView>>('GET', '/v1/providers?per_page=100').then((list) => setProviders(list.data), (e: Error) => setError(e.message));
  }, []);
  return (
    <section className="card">
      <h1>Providers</h1>
      {error && <Notice>{error}</Notice>}
      <ul className="rows">
        {providers?.map((p) => (
          <li key={p.id}>
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
          </li>
        ))}
      </ul>
    </section>
  );
}
