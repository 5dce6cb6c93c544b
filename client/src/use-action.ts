import { useState } from 'react';

/** Runs a user's action once at a time and keeps the refusal to show it in words. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error, clearError: () => setError(undefined) };
}
