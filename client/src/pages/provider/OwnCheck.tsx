import { useEffect, useState } from 'react';
import { request } from '../../api.ts';
import { type BackgroundCheck, BackgroundCheckBadge } from '../../components/BackgroundCheckBadge.tsx';
import { Notice } from '../../components/Notice.tsx';
import { backgroundCheckWords as w } from '../../words.ts';

/** The provider's own background check, as seekers see it on their profile. */
export function OwnCheck({ providerId }: { providerId: string }) {
  const [check, setCheck] = useState<BackgroundCheck | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    request<{ background_check: BackgroundCheck | null }>('GET', `/v1/providers/${providerId}`).then(
      (p) => setCheck(p.background_check),
      (e: Error) => setError(e.message),
    );
  }, [providerId]);
  return (
    <section aria-label={w.own}>
      <h2>{w.own}</h2>
      {error ? <Notice>{error}</Notice> : check !== undefined && <BackgroundCheckBadge check={check} />}
    </section>
  );
}
