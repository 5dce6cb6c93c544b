import { useCallback, useEffect, useState } from 'react';
import { request } from '../../api.ts';
import { useSocketEvent } from '../../live.ts';

/**
 * A read fetched again whenever `key` changes (an actor's version, say) and after a reconnect:
 * for reads the socket does not push (history, screening history, inbox).
 */
export function useFetched<T>(path: string | undefined, key: unknown) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    if (!path) return;
    let current = true;
    request<T>('GET', path).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(undefined);
      },
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [path]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: what was shown belongs to the previous path
  useEffect(() => {
    setData(undefined);
  }, [path]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the caller's reason to read again
  useEffect(() => reload(), [reload, key]);
  useSocketEvent('connect', () => void reload());
  return { data, error, reload };
}
