import { join } from 'node:path';
import { type RequestHandler, Router } from 'express';
import type { Config } from '../config.ts';
import type { Sealer } from '../runtime/seal.ts';
import { idmeSandbox } from './idme/sandbox.ts';
import { proveSandbox, SANDBOX_OTP } from './prove/sandbox.ts';
import { sterlingSandbox } from './sterling/sandbox.ts';
import { VERIFF_TEST_LAST_NAMES, veriffSandbox } from './veriff/sandbox.ts';

/** Where each vendor is reached: its configured URL, or the sandbox this server mounts in its place. */
export function vendorUrls(config: Config, self: string) {
  const at = (url: string | undefined, vendor: string) => url ?? `${self}/sandbox/${vendor}`;
  return {
    prove: at(config.prove.url, 'prove'),
    veriff: at(config.veriff.url, 'veriff'),
    sterling: at(config.sterling.url, 'sterling'),
    idme: at(config.idme.url, 'idme'),
  };
}

/**
 * The sandboxes of the vendors that have no URL configured (the development default), under
 * /sandbox/<vendor>. Each takes only the credentials trustwire is configured with and calls back
 * or redirects only to the URLs trustwire registered; Sterling's state is sealed on disk, the
 * others' lives in memory. They are built before the server listens, so its own URL is read
 * when they call it.
 */
export async function sandboxes(
  config: Config,
  registered: { self: () => string; idmeRedirectUri: string; veriffCallback: string; sterlingCallbackPrefix: () => string },
  deps: { sealer: Sealer; requireApiKey: RequestHandler },
): Promise<Router> {
  const router = Router();
  const { self } = registered;
  if (!config.idme.url)
    router.use(
      '/sandbox/idme',
      idmeSandbox({ clients: { [config.idme.clientId]: { secret: config.idme.clientSecret, redirectUris: [registered.idmeRedirectUri] } } }),
    );
  if (!config.prove.url) router.use('/sandbox/prove', proveSandbox({ clients: { [config.prove.clientId]: config.prove.clientSecret } }));
  if (!config.veriff.url) {
    router.use(
      '/sandbox/veriff',
      veriffSandbox({
        apiKey: config.veriff.apiKey,
        sharedSecret: config.veriff.sharedSecrets[0],
        decisionWebhookUrl: () => `${self()}/v1/vendors/veriff/decisions`,
        eventWebhookUrl: () => `${self()}/v1/vendors/veriff/events`,
        callbacks: [registered.veriffCallback],
        decisionDelayMs: config.sandbox.veriffDecisionDelayMs,
      }),
    );
  }
  if (!config.sterling.url) {
    router.use(
      '/sandbox/sterling',
      await sterlingSandbox({
        dataFile: join(config.dataDir, 'sandbox', 'sterling.json'),
        sealer: deps.sealer,
        clients: { [config.sterling.clientId]: config.sterling.clientSecret },
        callbackPrefixes: () => [registered.sterlingCallbackPrefix()],
        requireApiKey: deps.requireApiKey,
        delayMs: config.sandbox.screeningDelayMs,
      }),
    );
  }
  // The test data each sandbox in use decides by, for the dashboards to show beside the fields.
  if (!config.prove.url || !config.veriff.url || !config.sterling.url) {
    router.get('/sandbox/test-data', (_req, res) => {
      res.json({
        prove: config.prove.url
          ? null
          : {
              sms_code: SANDBOX_OTP,
              phone_endings: {
                '00': 'passes at once',
                '99': 'cannot be verified by phone: the ID document and selfie follow',
                other: `an SMS code; ${SANDBOX_OTP} passes`,
              },
            },
        veriff: config.veriff.url ? null : { last_names: VERIFF_TEST_LAST_NAMES, other: 'approved' },
        screenings: config.sterling.url
          ? null
          : { last_names: { Consider: 'a county record with charges', Suspended: 'the county search waits for the mother’s maiden name' }, other: 'clear' },
      });
    });
  }
  return router;
}
