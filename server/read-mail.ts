import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { MAIL_SUFFIX, openMail } from './notifications/mailer.ts';
import { Sealer } from './runtime/seal.ts';

/**
 * `npm run mail [count]`: prints the newest emails written under DATA_DIR/mail (without
 * SMTP_URL), opened with the data key. Development only: in production mail goes by SMTP.
 */
const config = await loadConfig();
const dir = join(config.dataDir, 'mail');
const sealer = new Sealer(config.dataKeys);
const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith(MAIL_SUFFIX));
const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(dir, name))).mtimeMs })));
for (const { name } of dated.sort((a, b) => b.at - a.at).slice(0, Number(process.argv[2] ?? 5))) {
  console.log(`──── ${name}\n${openMail(await readFile(join(dir, name), 'utf8'), sealer)}`);
}
