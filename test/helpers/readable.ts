import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sealer, SubjectKeyRecord } from '../../server/runtime/seal.ts';
import { pgDump } from './postgres.ts';

/**
 * What an attacker holding DATA_KEY and a copy of the whole DATA_DIR (and, on PostgreSQL, a dump
 * of the database) can read (issue 16): they open every sealed text they find with DATA_KEY or
 * with any subject key they can unwrap from anywhere in those bytes (old journals included).
 */

// Sealed texts: base64 under DATA_KEY, or `~<subject>~<base64>` under a subject's key.
const SEALED = /~[A-Za-z0-9_]+~[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9+/]{40,}={0,2}/g;
const WRAPPED = /"subject":"([A-Za-z0-9_]+)","wrapped":"([A-Za-z0-9+/]+={0,2})"/g;

/**
 * The store's files. The vendors' sandboxes (DATA_DIR/sandbox) stand in for the vendors' own
 * systems: what the screening vendor holds about a candidate is the vendor's to delete, as it
 * would be at Sterling (README "Erasure").
 */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && !e.parentPath.startsWith(join(dir, 'sandbox'))).map((e) => join(e.parentPath, e.name));
}

/** Everything readable with the attacker's key in `texts`: the texts themselves and every sealed text in them that opens. */
function readable(texts: string[], attacker: Sealer): string {
  for (const text of texts) for (const [, subject, wrapped] of text.matchAll(WRAPPED)) attacker.learn({ subject, wrapped } as SubjectKeyRecord);
  const opened: string[] = [];
  for (const text of texts) {
    for (const [sealed] of text.matchAll(SEALED)) {
      try {
        opened.push(JSON.stringify(attacker.open(sealed)));
      } catch {
        // Not a sealed text, or one nobody can open any more.
      }
    }
  }
  return [...texts, ...opened].join('\n').toLowerCase();
}

/** Every byte under `dataDir` (and the database's dump), with whatever the attacker can open, lower-cased. */
export async function readableStore(dataDir: string, attacker: Sealer, databaseUrl?: string): Promise<string> {
  const files = await filesUnder(dataDir);
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  if (databaseUrl) texts.push(pgDump(databaseUrl));
  return readable(texts, attacker);
}
