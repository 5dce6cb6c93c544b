import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** fsync a file or a directory (a directory's fsync makes its renames, creations and deletions durable). */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Replaces `path` so that a crash leaves either the old or the new content, never a torn file. */
export async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncPath(dirname(path));
}

export const journalName = (n: number): string => `journal-${n}.ndjson`;

export function journalNumber(name: string): number | undefined {
  const m = /^journal-(\d+)\.ndjson$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Runs tasks with at most `width` in flight. */
export async function pool(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}
