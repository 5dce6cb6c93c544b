import { useEffect, useState } from 'react';

/** The test data of the vendor sandboxes this server runs (`GET /sandbox/test-data`); null for a vendor reached for real. */
export interface SandboxTestData {
  prove: { sms_code: string; phone_endings: Record<string, string> } | null;
  veriff: { last_names: string[]; other: string } | null;
  screenings: { last_names: Record<string, string>; other: string } | null;
}

let asked: Promise<SandboxTestData | null> | undefined;

/** The sandboxes' test data, asked once per page; undefined while asked or when no sandbox runs. */
export function useSandboxTestData(): SandboxTestData | undefined {
  const [data, setData] = useState<SandboxTestData | null>(null);
  useEffect(() => {
    asked ??= fetch('/sandbox/test-data').then(
      (r) => (r.ok ? (r.json() as Promise<SandboxTestData>) : null),
      () => null,
    );
    void asked.then(setData);
  }, []);
  return data ?? undefined;
}
