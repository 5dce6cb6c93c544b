import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { Router } from 'express';
import { actorsRouter } from './api/actors.ts';
import { Auth } from './api/auth.ts';
import { commandRunner, commandsRouter } from './api/commands.ts';
import { deadLettersRouter } from './api/dead-letters.ts';
import { demoLoginRouter } from './api/demo-login.ts';
import { directoryRouter, providerProfile } from './api/directory.ts';
import { backgroundBadgeRouter } from './checks/background-badge.ts';
import { errorHandler } from './api/errors.ts';
import { idempotency } from './api/idempotency.ts';
import { idmeRouter } from './api/idme.ts';
import { linksRouter } from './api/links.ts';
import { membersRouter } from './api/members.ts';
import { rateLimiter } from './api/rate-limit.ts';
import { notificationsRouter } from './api/notifications.ts';
import { applyRouter } from './checks/apply-router.ts';
import { candidateStatusPages } from './checks/candidate-status-router.ts';
import { LinkSessions } from './checks/link-session.ts';
import { StatusLinks } from './checks/status-links.ts';
import { escalation, EscalationRules } from './checks/escalation.ts';
import { escalationRulesRouter } from './checks/escalation-rules-router.ts';
import { deliverMonitoring } from './checks/monitoring.ts';
import { reportOrders } from './checks/order-report.ts';
import { checksRouter } from './checks/router.ts';
import { screeningOrders } from './checks/screening-orders.ts';
import { sterlingCallback, sterlingCallbackUrl } from './checks/vendor-callback.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo.ts';
import { OutboxDispatcher } from './effects/outbox.ts';
import { cascades } from './links/cascade.ts';
import { createMailer } from './notifications/mailer.ts';
import { notifications } from './notifications/notifications.ts';
import { Publisher } from './realtime/publisher.ts';
import { socketGateway } from './realtime/socket-gateway.ts';
import { wsStream } from './realtime/ws-stream.ts';
import { Blocklist, blocklisting } from './idv/blocklist.ts';
import { proveCalls } from './idv/prove-calls.ts';
import { idvRouter } from './idv/router.ts';
import { veriffCalls } from './idv/veriff-calls.ts';
import { veriffWebhooks } from './idv/veriff-webhooks.ts';
import { legalInfoVetting } from './idv/vetting.ts';
import { casesRouter } from './cases/router.ts';
import { cases } from './cases/module.ts';
import { caseOf } from './cases/cases.ts';
import { refunds } from './idv/refunds.ts';
import { staffRouter } from './api/staff.ts';
import type { EffectModules } from './runtime/effect-module.ts';
import { vendorCalls } from './vendors/calls.ts';
import { ProveClient } from './vendors/prove/adapter.ts';
import { proveSandbox } from './vendors/prove/sandbox.ts';
import { VeriffClient } from './vendors/veriff/adapter.ts';
import { veriffSandbox } from './vendors/veriff/sandbox.ts';
import { dashboards } from './web.ts';
import { webhooks } from './webhooks/module.ts';
import { webhooksRouter } from './webhooks/router.ts';
import { watchSubscriptions } from './webhooks/subscriptions.ts';
import { forbidden, notFound } from './runtime/errors.ts';
import { iso, systemClock, type Clock } from './runtime/clock.ts';
import { ActorHost } from './runtime/host.ts';
import { checkMachineVersions } from './runtime/machine-versions.ts';
import { ReminderScheduler } from './runtime/reminders.ts';
import { Sealer } from './runtime/seal.ts';
import { LowdbStore } from './store/lowdb/lowdb-store.ts';
import type { Store } from './store/store.ts';
import { IdmeClient } from './vendors/idme/adapter.ts';
import { idmeSandbox } from './vendors/idme/sandbox.ts';
import { SterlingClient } from './vendors/sterling/adapter.ts';
import { sterlingSandbox } from './vendors/sterling/sandbox.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  host: ActorHost;
  auth: Auth;
  seeded: boolean;
  close(): Promise<void>;
}

/** Composes trustwire from its configuration and starts listening (P9: lowdb unless configured). */
export async function startServer(config: Config, clock: Clock = systemClock): Promise<RunningServer> {
  const store = openStore(config);
  await store.open();
  const sealer = new Sealer(config.dataKey);
  const auth = new Auth(config.apiKeys, config.sessionSecret, () => clock.now());
  const blocklist = new Blocklist(store, config.dataKey);
  await checkMachineVersions(store);
  const subscribed = await watchSubscriptions(store);
  const integratorOnly: express.RequestHandler = (req, _res, next) =>
    next(req.caller.role === 'integrator' ? undefined : forbidden('Only the integrator may trigger sandbox alerts.'));
  const sterlingSandboxRoutes = await sterlingSandbox({
    dataFile: join(config.dataDir, 'sandbox', 'sterling.json'),
    requireApiKey: Router().use(auth.required, integratorOnly),
    delayMs: config.sandbox.screeningDelayMs,
  });
  const app = express();
  const http = createServer(app);
  // The port is bound first, as the sandboxes' URLs name it; from here to the last route nothing
  // awaits, so no request is served before every route is mounted.
  await new Promise<void>((resolve) => http.listen(config.port, resolve));
  const port = (http.address() as AddressInfo).port;
  const self = config.selfUrl ?? `http://127.0.0.1:${port}`;

  let publisher: Publisher | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  const escalationRules = new EscalationRules(store, () => iso(clock.now()));
  await escalationRules.seed(config.escalationRules);
  const sterling = new SterlingClient({ baseUrl: `${self}/sandbox/sterling`, clientId: 'trustwire', clientSecret: 'sandbox' });
  const idme = new IdmeClient({
    baseUrl: `${self}/sandbox/idme`,
    authorizeBaseUrl: '/sandbox/idme',
    clientId: 'trustwire',
    clientSecret: 'sandbox',
    redirectUri: '/v1/idme/callback',
  });
  const prove = new ProveClient({ baseUrl: config.prove.url ?? `${self}/sandbox/prove`, clientId: config.prove.clientId, clientSecret: config.prove.clientSecret, timeoutMs: config.vendorTimeoutMs });
  const veriff = new VeriffClient({ baseUrl: config.veriff.url ?? `${self}/sandbox/veriff`, apiKey: config.veriff.apiKey, sharedSecrets: config.veriff.sharedSecrets, timeoutMs: config.vendorTimeoutMs });
  const callbackUrl = sterlingCallbackUrl(auth, self, clock.now());
  const monitoring = deliverMonitoring(sterling, callbackUrl);

  // Each feature's effects: how it plans its part of a commit and delivers its outbox entries.
  const modules: EffectModules = {
    notify: notifications({ push: (recipient, n) => publisher?.notification(recipient, n), mailer: createMailer(config.smtpUrl, join(config.dataDir, 'mail')) }),
    cascade: cascades,
    vendor: vendorCalls({
      'sterling:enroll_monitoring': monitoring,
      'sterling:withdraw_monitoring': monitoring,
      ...screeningOrders(sterling, callbackUrl),
      ...proveCalls(prove),
      ...veriffCalls(veriff, '/seeker?veriff=submitted'),
    }),
    case: cases(sealer, config.crm),
    webhook: webhooks(sealer, subscribed),
    order_report: reportOrders(config.packages),
    escalate: escalation(sealer, escalationRules),
    blocklist: blocklisting(blocklist),
    refund: refunds(config.billing),
  };
  const host = new ActorHost({
    store,
    clock,
    sealer,
    delays: config.delays,
    modules,
    committed: (changes, outboxAdded) => {
      publisher?.changed(changes);
      if (outboxAdded) dispatcher?.ticker.kick();
    },
  });
  const run = commandRunner(host, legalInfoVetting(blocklist));
  const sockets = socketGateway(http, (token) => auth.fromToken(token), host, run);
  const stream = wsStream(http, (token) => auth.fromToken(token));
  publisher = new Publisher([sockets, stream]);
  const live = publisher;
  // The console follows the queues live: every stored case change, from wherever it came.
  store.onCommitted((commit) => {
    for (const record of commit.records) if (record.collection === 'cases') live.caseChanged(caseOf(record.value, sealer));
  });
  dispatcher = new OutboxDispatcher(
    { host, store, sealer, clock },
    Object.values(modules).flatMap((m) => m.deliveries),
  );
  const reminders = new ReminderScheduler(store, host, clock);
  const outboxAdded = () => dispatcher.ticker.kick();
  const linkSessions = new LinkSessions(auth, () => clock.now());
  const statusLinks = new StatusLinks(auth, store, sealer, self, () => clock.now(), outboxAdded);

  app.disable('x-powered-by');
  app.use('/sandbox/idme', idmeSandbox());
  app.use('/sandbox/prove', proveSandbox());
  app.use(
    '/sandbox/veriff',
    veriffSandbox({
      apiKey: config.veriff.apiKey,
      sharedSecret: config.veriff.sharedSecrets[0],
      decisionWebhookUrl: () => `${self}/v1/vendors/veriff/decisions`,
      eventWebhookUrl: () => `${self}/v1/vendors/veriff/events`,
      decisionDelayMs: config.sandbox.veriffDecisionDelayMs,
    }),
  );
  app.use('/sandbox/sterling', sterlingSandboxRoutes);
  const idmeRoutes = idmeRouter(host, auth, idme);
  const v1 = Router();
  v1.use(idmeRoutes.callback, sterlingCallback(host, store, auth, sterling), veriffWebhooks(host, config.veriff.sharedSecrets));
  v1.use(
    auth.required,
    rateLimiter(config.rateLimit),
    express.json({ limit: config.bodyLimit }),
    // Checkr's clients send form bodies by default (CHECKR.md "Conventions").
    express.urlencoded({ extended: true, limit: config.bodyLimit }),
    idempotency(store, sealer),
  );
  v1.use(commandsRouter(run)); // first: the hot path
  v1.use(membersRouter(host, auth, blocklist));
  v1.use(idvRouter(host, store));
  v1.use(casesRouter(host, store, sealer, outboxAdded, escalationRules));
  v1.use(escalationRulesRouter(escalationRules));
  v1.use(staffRouter(host, store, sealer));
  v1.use(directoryRouter(host, store));
  v1.use(backgroundBadgeRouter(host, store, (id) => providerProfile(host, store, id)));
  v1.use(linksRouter(host, store, { percentage: config.cbgcRollout, allowlist: config.cbgcAllowlist }));
  v1.use(actorsRouter(host, store));
  v1.use(checksRouter(host, store, auth, { packages: config.packages, publicUrl: self, expiryMs: config.delays.invitation_expiry, adverseWaitMs: config.delays.adverse_action_wait, startedAt: host.now() }, statusLinks));
  v1.use(webhooksRouter(store, sealer, () => host.now(), outboxAdded));
  v1.use(notificationsRouter(host, store, sealer));
  v1.use(deadLettersRouter(store, () => host.now(), outboxAdded));
  v1.use(idmeRoutes.authenticated);
  v1.use((_req, _res, next) => next(notFound('route')));
  app.use('/v1', v1);
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.use(applyRouter(host, auth, linkSessions, config.packages));
  app.use(candidateStatusPages(host, store, linkSessions, statusLinks, config.packages));
  if (config.demo) app.use('/demo', demoLoginRouter(host, store, auth));
  app.use(dashboards());
  app.use(errorHandler);

  const seeded = config.demo ? await seedDemo(store, host) : false;
  dispatcher.ticker.kick();
  reminders.ticker.kick();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    host,
    auth,
    seeded,
    close: async () => {
      dispatcher.ticker.stop();
      reminders.ticker.stop();
      stream.close();
      await sockets.io.close(); // also closes the HTTP server
      await closeHttp(http);
      await store.close();
    },
  };
}

function openStore(config: Config): Store {
  if (config.store === 'postgres') throw new Error('STORE=postgres: the PostgreSQL store is not built yet; use the embedded lowdb store.');
  return new LowdbStore({ dir: join(config.dataDir, 'store') });
}

function closeHttp(http: HttpServer) {
  return new Promise<void>((resolve) => {
    if (!http.listening) return resolve();
    http.closeAllConnections();
    http.close(() => resolve());
  });
}
