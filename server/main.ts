import { startServer } from './app.ts';
import { loadConfig } from './config.ts';
import { log } from './log.ts';

const started = Date.now();
const config = await loadConfig();
const server = await startServer(config);

log.info({ url: server.url, store: config.store, data_dir: config.dataDir, ms: Date.now() - started }, 'trustwire is listening');
if (server.seeded) log.info('seeded demo members: one seeker per plan and four providers');
if (config.demo) {
  // Anyone who reaches this port may sign in as any member or staff role: say so, every start.
  console.log(`\n  DEMO=1: the development sign-in (/login, /demo/sessions) is ON, without credentials, on ${config.host ?? 'every interface'}.\n  Never expose it; NODE_ENV=production refuses it.\n`);
}
if (config.devApiKey) {
  // The development key is printed so a newcomer can call the API at once; production sets API_KEYS.
  console.log(`\n  trustwire  ${server.url}\n  development API key: ${config.apiKeys[0]}\n  try: curl -u ${config.apiKeys[0]}: ${server.url}/v1/actors\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
