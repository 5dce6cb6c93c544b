import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { Router } from 'express';
import { accessLog } from './access-log.ts';
import { actorsRouter } from './api/actors.ts';
import { Auth } from './api/auth.ts';
import { formBody, identityEncodingOnly, jsonBody } from './api/body.ts';
import { commandEndpoint } from './api/command-endpoint.ts';
import { commandRunner, commandsRouter } from './api/commands.ts';
import { deadLettersRouter } from './api/dead-letters.ts';
import { demoLoginRouter } from './api/demo-login.ts';
import { directoryRouter, providerProfile } from './api/directory.ts';
import { errorHandler } from './api/errors.ts';
import { IdempotencyKeys, idempotency } from './api/idempotency.ts';
import { idmeRouter } from './api/idme.ts';
import { linksRouter } from './api/links.ts';
import { membersRouter } from './api/members.ts';
import { notificationsRouter } from './api/notifications.ts';
import { rateLimiter, rateStore } from './api/rate-limit.ts';
import { readiness } from './api/readiness.ts';
import { staffRouter } from './api/staff.ts';
import { unmatchedRoute } from './api/unmatched.ts';
import { startCheckpoints } from './audit/checkpoints.ts';
import { auditRouter } from './audit/router.ts';
import { caseOf } from './cases/cases.ts';
import { cases } from './cases/module.ts';
import { casesRouter } from './cases/router.ts';
import { applyRouter } from './checks/apply-router.ts';
import { backgroundBadgeRouter } from './checks/background-badge.ts';
import { candidateStatusPages } from './checks/candidate-status-router.ts';
import { EscalationRules, escalation } from './checks/escalation.ts';
import { escalationRulesRouter } from './checks/escalation-rules-router.ts';
import { sandboxEstimator } from './checks/eta.ts';
import { LinkSessions } from './checks/link-session.ts';
import { deliverMonitoring } from './checks/monitoring.ts';
import { reportOrders } from './checks/order-report.ts';
import { PageFollowers } from './checks/page-followers.ts';
import { checksRouter } from './checks/router.ts';
import { screeningOrders } from './checks/screening-orders.ts';
import { StatusLinks } from './checks/status-links.ts';
import { sterlingCallback, sterlingCallbackUrl } from './checks/vendor-callback.ts';
import type { Config } from './config.ts';
import { erasureRouter } from './data-subjects/erase-router.ts';
import { exportRouter } from './data-subjects/export-router.ts';
import { blindIndexKey } from './data-subjects/index-key.ts';
import { KeyRotation } from './data-subjects/key-rotation.ts';
import { followKeyring, recordKeyring } from './data-subjects/keyring.ts';
import { retention, retentionDelays } from './data-subjects/retention.ts';
import { retentionRouter } from './data-subjects/retention-router.ts';
import { followSubjectKeys } from './data-subjects/subject-keys.ts';
import { seedDemo } from './demo.ts';
import { Draining } from './draining.ts';
import { OutboxDispatcher } from './effects/outbox.ts';
import { hostedScript } from './hosted-script.ts';
import { Blocklist, blocklisting } from './idv/blocklist.ts';
import { identityDocumentsRouter } from './idv/identity-documents.ts';
import { proveCalls } from './idv/prove-calls.ts';
import { refunds } from './idv/refunds.ts';
import { idvRouter } from './idv/router.ts';
import { veriffCalls } from './idv/veriff-calls.ts';
import { veriffWebhooks } from './idv/veriff-webhooks.ts';
import { legalInfoVetting } from './idv/vetting.ts';
import { cascades } from './links/cascade.ts';
import { Metrics } from './metrics.ts';
import { notFoundPage } from './not-found.ts';
import { createMailer } from './notifications/mailer.ts';
import { notifications } from './notifications/notifications.ts';
import { openApiRouter } from './openapi/router.ts';
import { outboundFetch, refusal } from './outbound.ts';
import { Publisher } from './realtime/publisher.ts';
import { socketGateway } from './realtime/socket-gateway.ts';
import { SocketCap, socketRateLimit } from './realtime/socket-limits.ts';
import { wsStream } from './realtime/ws-stream.ts';
import { requestId } from './request-id.ts';
import { type Clock, iso, systemClock } from './runtime/clock.ts';
import type { EffectModules } from './runtime/effect-module.ts';
import { forbidden } from './runtime/errors.ts';
import { ActorHost } from './runtime/host.ts';
import { inOrder } from './runtime/in-order.ts';
import { checkMachineVersions } from './runtime/machine-versions.ts';
import { MemberSearch } from './runtime/member-search.ts';
import { ReminderScheduler } from './runtime/reminders.ts';
import { Sealer } from './runtime/seal.ts';
import { securityHeaderSetter, securityHeaders } from './security-headers.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';
import { vendorCalls } from './vendors/calls.ts';
import { IdmeClient } from './vendors/idme/adapter.ts';
import { ProveClient } from './vendors/prove/adapter.ts';
import { sandboxes, vendorUrls } from './vendors/sandboxes.ts';
import { SterlingClient } from './vendors/sterling/adapter.ts';
import { VeriffClient } from './vendors/veriff/adapter.ts';
import { dashboards } from './web.ts';
import { webhooks } from './webhooks/module.ts';
import { webhooksRouter } from './webhooks/router.ts';
import { watchSubscriptions } from './webhooks/subscriptions.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  host: ActorHost;
  /** The data keys, and the subjects' keys held (the test that the cache keeps to its bound). */
  sealer: Sealer;
  auth: Auth;
  http: HttpServer;
  seeded: boolean;
  /** The routes, for the test that checks each is in the OpenAPI document. */
  app: express.Express;
  metrics: Metrics;
  /**
   * Graceful: stops accepting connections, answers the requests that reached the server, lets the
   * outbox and the reminders finish the batch they hold and the store write what it was given, and
   * closes sockets so their clients reconnect elsewhere. Requests still running after `requestsMs`
   * are cut off.
   */
  close(requestsMs?: number): Promise<void>;
}

/** Composes trustwire from its configuration and starts listening (P9: lowdb unless configured). */
export async function startServer(config: Config, clock: Clock = systemClock): Promise<RunningServer> {
  for (const [name, target] of [
    ['CRM_WEBHOOK_URL', config.crm],
    ['BILLING_WEBHOOK_URL', config.billing],
  ] as const) {
    const refused = target.url ? await refusal(target.url, config.outbound) : undefined;
    if (refused) throw new Error(`${name} ${refused} (WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 allows loopback and private ranges).`);
  }
  const metrics = new Metrics();
  const { store, socketAdapter, rateLimits } = await openStore(config, (commits, syncSeconds) => {
    metrics.commitBatchSize.observe(commits);
    metrics.fsyncDuration.observe(syncSeconds);
  });
  const sealer = new Sealer(config.dataKeys, config.subjectKeysCached);
  // The keyring first: it yields the older keys that may wrap the rest. A refusal (a key missing)
  // stops the process (server/main.ts), so the store is not closed here.
  await followKeyring(store, sealer);
  const indexKey = await blindIndexKey(store, sealer.keyring);
  const search = new MemberSearch(indexKey);
  // Erased on any node: cached copies go (the host is made below; commits start after that).
  let forgetSubject = (_subject: string) => {};
  await followSubjectKeys(store, sealer, (subject) => forgetSubject(subject));
  await recordKeyring(store, sealer);
  const auth = new Auth(config.apiKeys, config.sessionSecret, () => clock.now());
  const blocklist = new Blocklist(store, indexKey);
  await checkMachineVersions(store);
  const subscribed = await watchSubscriptions(store);
  const integratorOnly: express.RequestHandler = (req, _res, next) =>
    next(req.caller.role === 'integrator' ? undefined : forbidden('Only the integrator may trigger sandbox alerts.'));
  // The sandboxes read trustwire's own URL only when called: it names the port, bound below.
  let selfUrl = '';
  // The sandbox's authorize page is reached by browsers on whatever origin they use: a path.
  const idmeRedirectUri = config.idme.url ? () => `${selfUrl}/v1/idme/callback` : () => '/v1/idme/callback';
  const veriffReturn = '/seeker?veriff=submitted';
  const sandboxRoutes = await sandboxes(
    config,
    {
      self: () => selfUrl,
      idmeRedirectUri: idmeRedirectUri(),
      veriffCallback: veriffReturn,
      sterlingCallbackPrefix: () => `${selfUrl}/v1/vendors/sterling/callback/`,
    },
    { sealer, requireApiKey: Router().use(auth.required, integratorOnly) },
  );
  const app = express();
  // Slow clients: a request's headers within 10 s and the whole request within 60 s (Node's default is 300 s).
  // Commands take a path of their own, past Express (api/command-endpoint.ts), once mounted below.
  let commands: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  const http = createServer({ headersTimeout: 10_000, requestTimeout: 60_000 }, (req, res) => commands?.(req, res) || app(req, res));
  // The port is bound first, as the sandboxes' URLs name it; from here to the last route nothing
  // awaits, so no request is served before every route is mounted.
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  const self = config.selfUrl ?? `http://127.0.0.1:${port}`;
  selfUrl = self;

  let publisher: Publisher | undefined;
  let dispatcher: OutboxDispatcher | undefined;
  const escalationRules = new EscalationRules(store, () => iso(clock.now()));
  await escalationRules.seed(config.escalationRules);
  const urls = vendorUrls(config, self);
  const sterling = new SterlingClient({ baseUrl: urls.sterling, clientId: config.sterling.clientId, clientSecret: config.sterling.clientSecret });
  const idme = new IdmeClient({
    baseUrl: urls.idme,
    authorizeBaseUrl: config.idme.url ?? '/sandbox/idme',
    clientId: config.idme.clientId,
    clientSecret: config.idme.clientSecret,
    redirectUri: idmeRedirectUri(),
  });
  const prove = new ProveClient({
    baseUrl: urls.prove,
    clientId: config.prove.clientId,
    clientSecret: config.prove.clientSecret,
    timeoutMs: config.vendorTimeoutMs,
  });
  const veriff = new VeriffClient({
    baseUrl: urls.veriff,
    apiKey: config.veriff.apiKey,
    sharedSecrets: config.veriff.sharedSecrets,
    timeoutMs: config.vendorTimeoutMs,
  });
  const outbound = outboundFetch(config.outbound);
  const callbackUrl = sterlingCallbackUrl(auth, self, clock.now());
  const monitoring = deliverMonitoring(sterling, callbackUrl);
  const estimate = sandboxEstimator(config.sandbox.screeningDelayMs);

  const mailDir = join(config.dataDir, 'mail');
  // Each feature's effects: how it plans its part of a commit and delivers its outbox entries.
  const modules: EffectModules = {
    notify: notifications({
      push: (recipient, n) => publisher?.notification(recipient, n),
      mailer: createMailer(config.smtpUrl, mailDir, sealer, config.mailFrom),
    }),
    cascade: cascades,
    vendor: vendorCalls({
      'sterling:enroll_monitoring': monitoring,
      'sterling:withdraw_monitoring': monitoring,
      ...screeningOrders(sterling, callbackUrl),
      ...proveCalls(prove),
      ...veriffCalls(veriff, veriffReturn),
    }),
    case: cases(sealer, config.crm, outbound),
    webhook: webhooks(sealer, subscribed, outbound),
    order_report: reportOrders(config.packages, estimate),
    escalate: escalation(sealer, escalationRules),
    blocklist: blocklisting(blocklist),
    refund: refunds(config.billing, outbound),
    erase: retention(sealer, config.retention, mailDir),
  };
  const host = new ActorHost({
    store,
    clock,
    sealer,
    delays: { ...config.delays, ...retentionDelays(config.retention) },
    modules,
    search,
    committed: (changes, outboxAdded) => {
      publisher?.changed(changes);
      if (outboxAdded) dispatcher?.ticker.kick();
    },
  });
  await host.indexMembers();
  forgetSubject = (subject) => host.forgetSubject(subject);
  const run = commandRunner(host, legalInfoVetting(blocklist), (kind, event, work) => metrics.timeCommand(kind, event, work));
  // One budget per caller over REST and the sockets: this process's counters, or the nodes' shared ones.
  const rates = rateLimits ?? rateStore();
  const socketCap = new SocketCap(config.socketsPerCaller);
  const sockets = socketGateway(
    http,
    (token) => auth.fromToken(token),
    host,
    run,
    { rate: socketRateLimit(rates, config.rateLimit), cap: socketCap },
    socketAdapter,
  );
  const stream = wsStream(http, (token) => auth.fromToken(token), socketCap);
  sockets.relayTo(stream);
  publisher = new Publisher([sockets, stream]);
  const live = publisher;
  // The console follows the queues live: every stored case change, from wherever it came.
  const casesInOrder = inOrder('following cases');
  store.onCommitted((commit) => {
    const changed = commit.records.filter((record) => record.collection === 'cases');
    if (changed.length === 0) return;
    casesInOrder(async () => {
      for (const c of await Promise.all(changed.map((record) => caseOf(record.value, sealer)))) live.caseChanged(c);
    });
  });
  dispatcher = new OutboxDispatcher(
    { host, store, sealer, clock },
    Object.values(modules)
      .flatMap((m) => m.deliveries)
      .map((delivery) => metrics.countedVendorCalls(delivery)),
    config.claimLeaseMs,
  );
  const reminders = new ReminderScheduler(store, host, clock, config.claimLeaseMs);
  const rotation = new KeyRotation(store, sealer);
  metrics.watch({ store, clock, rooms: { socketio: sockets.connections, websocket: stream.connections }, keysToRewrap: () => rotation.remaining() });
  const draining = new Draining(http);
  const stopCheckpoints = startCheckpoints(store, clock, config.auditCheckpointMs);
  // Other nodes' commits (a shared database): publish them here too, and take up work they added.
  const adoptInOrder = inOrder('adopting a commit');
  store.onCommitted((commit, remote) => {
    if (!remote) return;
    adoptInOrder(async () => live.changed(await host.adopt(commit)));
    if (commit.outbox.some((entry) => !entry.delivered_at)) dispatcher.ticker.kick();
    if (commit.reminders.length > 0) reminders.ticker.kick();
  });
  const outboxAdded = () => dispatcher.ticker.kick();
  const linkSessions = new LinkSessions(auth, () => clock.now(), new URL(self).pathname.replace(/\/$/, ''));
  const statusLinks = new StatusLinks(auth, store, sealer, self, () => clock.now(), outboxAdded);

  app.disable('x-powered-by');
  // Absolute links in responses (list hrefs) start with the public URL, a proxy's path prefix included.
  app.set('self url', self);
  app.use(requestId, accessLog, securityHeaders(), identityEncodingOnly);
  // What every /v1 route but the vendors' callbacks goes through: credentials, budget, body, idempotency.
  const json = jsonBody(config.bodyLimit);
  const budget = rateLimiter(config.rateLimit, rates);
  const idempotencyKeys = new IdempotencyKeys(store, sealer);
  const v1Guard = [auth.required, budget, json, formBody(config.bodyLimit), idempotency(idempotencyKeys, store)];
  commands = commandEndpoint({
    auth,
    run,
    rateLimit: config.rateLimit,
    rateLimiter: budget,
    jsonBody: json,
    idempotencyKeys,
    setSecurityHeaders: securityHeaderSetter(),
    selfUrl: self,
  });
  // The hot path first: a command walks no other router (none of them answers POST /v1/commands).
  app.use('/v1', commandsRouter(run, v1Guard));
  app.get('/metrics', metrics.handler(config.metricsToken));
  app.use(openApiRouter());
  app.use(sandboxRoutes);
  const idmeRoutes = idmeRouter(host, auth, idme, (vendor, call) => metrics.countVendorCall(vendor, call));
  const v1 = Router();
  v1.use(idmeRoutes.callback, sterlingCallback(host, store, auth, sterling), veriffWebhooks(host, config.veriff.sharedSecrets));
  v1.use(v1Guard);
  v1.use(membersRouter(host, auth, blocklist));
  v1.use(idvRouter(host, store));
  v1.use(identityDocumentsRouter(host, veriff));
  v1.use(casesRouter(host, store, sealer, outboxAdded, escalationRules));
  v1.use(escalationRulesRouter(escalationRules));
  v1.use(staffRouter(host, store, sealer, search));
  v1.use(directoryRouter(host, store));
  v1.use(backgroundBadgeRouter(host, store, (id) => providerProfile(host, store, id)));
  v1.use(linksRouter(host, store, { percentage: config.cbgcRollout, allowlist: config.cbgcAllowlist }));
  v1.use(actorsRouter(host, store));
  v1.use(auditRouter(store));
  v1.use(erasureRouter({ host, store, sealer, mailDir }));
  v1.use(retentionRouter(store, config.retention, () => clock.now()));
  v1.use(exportRouter(host, store, sealer));
  v1.use(
    checksRouter(
      host,
      store,
      auth,
      {
        packages: config.packages,
        publicUrl: self,
        expiryMs: config.delays.invitation_expiry,
        adverseWaitMs: config.delays.adverse_action_wait,
        startedAt: host.now(),
        estimate,
      },
      statusLinks,
    ),
  );
  v1.use(webhooksRouter(store, sealer, () => host.now(), outboxAdded, config.outbound));
  v1.use(notificationsRouter(host, store, sealer));
  v1.use(deadLettersRouter(store, () => host.now(), outboxAdded));
  v1.use(idmeRoutes.authenticated);
  v1.use(unmatchedRoute);
  app.use('/v1', v1);
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.get(
    '/readyz',
    readiness(store, () => dispatcher.ticker.active),
  );
  app.use(hostedScript());
  const followers = new PageFollowers(store);
  app.use(applyRouter(host, auth, linkSessions, followers, config.packages, { sandbox: !config.sterling.url }));
  app.use(candidateStatusPages(host, store, linkSessions, statusLinks, followers, config.packages));
  if (config.demo) app.use('/demo', demoLoginRouter(host, store, auth));
  app.use(dashboards());
  app.use(notFoundPage);
  app.use(errorHandler);

  const seeded = config.demo ? await seedDemo(store, host) : false;
  dispatcher.ticker.kick();
  reminders.ticker.kick();
  rotation.start();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    host,
    sealer,
    auth,
    http,
    seeded,
    app,
    metrics,
    close: async (requestsMs = config.shutdownTimeoutMs / 2) => {
      await draining.stopAccepting();
      sockets.reconnectElsewhere();
      stream.reconnectElsewhere();
      await draining.idle(requestsMs);
      await Promise.all([dispatcher.ticker.stop(), reminders.ticker.stop(), stopCheckpoints(), rotation.stop()]);
      stream.close();
      http.closeAllConnections();
      await sockets.io.close();
      await store.close();
    },
  };
}
