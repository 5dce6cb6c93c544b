import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The code cites the product's rules by number; RULES.md states each in a sentence, so that the
// repository reads without the specification kept beside it.
const ROOT = join(import.meta.dirname, '../..');
const RULE = /\b[RICBPT][1-9]\d?\b/g;
const CITING = ['machines', 'server', 'client/src', 'contract', 'test', 'bench'];

function defined(markdown: string, pattern: RegExp): Set<string> {
  return new Set([...markdown.matchAll(pattern)].map((m) => m[1]));
}

const stated = defined(readFileSync(join(ROOT, 'RULES.md'), 'utf8'), /^- \*\*([RICBPT]\d+)\.\*\* \S/gm);

function citations(): Map<string, string> {
  const firstCitedIn = new Map<string, string>();
  for (const folder of CITING) {
    for (const file of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|tsx)$/.test(file)) continue;
      const path = join(folder, file);
      for (const [rule] of readFileSync(join(ROOT, path), 'utf8').matchAll(RULE)) if (!firstCitedIn.has(rule)) firstCitedIn.set(rule, path);
    }
  }
  return firstCitedIn;
}

describe('RULES.md', () => {
  it('states every rule the code cites', () => {
    const missing = [...citations()].filter(([rule]) => !stated.has(rule)).map(([rule, path]) => `${rule} (cited in ${path})`);
    expect(missing).toEqual([]);
  });

  const spec = join(ROOT, '../shared/SPEC.md');
  it.skipIf(!existsSync(spec))('states every rule of SPEC.md, and no other', () => {
    const numbered = defined(readFileSync(spec, 'utf8'), /^- ([RICBPT]\d+)\. /gm);
    expect([...stated].sort()).toEqual([...numbered].sort());
  });
});
