import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { MAIL_SUFFIX, openMail } from './notifications/mailer.ts';
import { KEYRING, type KeyringRecord } from './runtime/keyring.ts';
import { Sealer } from './runtime/seal.ts';
import { LowdbStore } from './store/lowdb/lowdb-store.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import type { Store } from './store/store.ts';

/**
 * `npm run mail [count]`: prints the newest emails written under DATA_DIR/mail (without
 * SMTP_URL), opened with the data keys and the store's keyring (a mail sealed before rotation
 * needs a key that may have left DATA_KEYS). The embedded store is read without writing, so a
 * running node is left alone. Development only: in production mail goes by SMTP.
 */
const config = await loadConfig();
const dir = join(config.dataDir, 'mail');
const sealer = new Sealer(config.dataKeys);
const store: Store =
  config.store === 'postgres'
    ? new PostgresStore({ url: config.databaseUrl!, poolSize: 2 })
    : new LowdbStore({ dir: join(config.dataDir, 'store'), readOnly: true });
try {
  await store.open();
  for (const record of await store.listRecords(KEYRING)) sealer.keyring.learn(record as KeyringRecord);
} finally {
  await store.close();
}
const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(MAIL_SUFFIX));
const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(dir, name))).mtimeMs })));
for (const { name } of dated.sort((a, b) => b.at - a.at).slice(0, Number(process.argv[2] ?? 5))) {
  console.log(`──── ${name}\n${openMail(await readFile(join(dir, name), 'utf8'), sealer)}`);
}
