import { startServer } from './app.ts';
import { loadConfig } from './config.ts';
import { log } from './log.ts';

const started = Date.now();
// A node that cannot start says why in one line (a missing setting, the database unreachable) and exits.
const { config, server } = await (async () => {
  const config = await loadConfig();
  return { config, server: await startServer(config) };
})().catch((error: unknown) => {
  console.error(`trustwire cannot start: ${(error as Error).message}`);
  process.exit(1);
});

log.info({ url: server.url, store: config.store, data_dir: config.dataDir, ms: Date.now() - started }, 'trustwire is listening');
if (server.seeded) log.info('seeded demo members: one seeker per plan and four providers');
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
