export const journalName = (n: number): string => `journal-${n}.ndjson`;

export function journalNumber(name: string): number | undefined {
  const m = /^journal-(\d+)\.ndjson$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
