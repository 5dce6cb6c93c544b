import { z } from 'zod';
import * as checkr from '../checks/schemas.ts';
import { errorSchema } from './objects.ts';
import { type Body, eventSchema, type Operation, operations } from './operations.ts';

type JsonSchema = Record<string, unknown>;

const DESCRIPTION = `
trustwire screens the members of a two-sided marketplace: identity verification of seekers,
background checks in the shape of Checkr's API, and continuous monitoring of the providers a
seeker hired. This document is generated from the zod schemas the server validates requests
with; the test suites check every answer they receive against it.

**Credentials.** The integrator's backend calls with an API key, as HTTP Basic user name (empty
password) or as a Bearer token. Members and staff call with a session token from
\`POST /v1/sessions\`, as a Bearer token.

**Conventions.** Errors are \`{ error, code, details }\` with a 4xx or 5xx status. Lists are
\`{ data, object: "list", count, next_href, previous_href }\`, \`page\` and \`per_page\` (≤ 100)
choose the page. Every POST takes an \`Idempotency-Key\`: the first 2xx answer is kept and replayed
with \`Idempotent-Replayed: true\` (409 while the first is in flight, 422 for another request with
the same key). Every answer carries \`X-Request-Id\` (the client's, when it sends a plain token of
up to 128 characters); the log lines, outbox entries and webhooks a request causes carry it too.
Bodies may be JSON or form-encoded (Checkr's clients send forms), up to \`BODY_LIMIT\`.

**Real time.** Socket.IO at the server's root (\`io(url, { auth: { token } })\`, a session token or
the API key) and a plain WebSocket at \`/v1/stream?token=…\` carry the same messages, filtered by
the same rules (a member sees their own actors and their links; staff and the integrator see
everything):

- \`actor.changed\` \`{ actor, event: { type }, by: { role }, at }\`: an actor changed; \`actor\` is the
  receiver's view (Actor), keep the higher \`version\`.
- \`notification\` \`{ notification }\` (Notification): an in-app message for the member.
- \`case.changed\` \`{ case }\` (Case): a case was opened or changed (staff and integrator only).

Over Socket.IO a client may also emit \`command\` \`{ actor, event, expected_version? }\` with an ack,
answered \`{ ok: true, actor }\` or \`{ ok: false, status, code, error, details }\` exactly as
\`POST /v1/commands\`; \`subscribe\` \`{ actor }\` acks \`{ ok, actor }\` with a fresh view (the resync
after a reconnection that could not be recovered); \`unsubscribe\` acks \`{ ok }\`. The WebSocket
stream is read-only: one JSON object per message, \`{ type, ...payload }\`. When a node shuts down it
closes the connections; clients reconnect (to another node) as after a network drop.

**Webhooks.** Subscriptions (\`POST /v1/webhooks\`) receive the events below, signed twice:
Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\` with the subscription's
\`secret\`) and \`X-Checkr-Signature\` (hex HMAC-SHA256 of the body keyed with the API key that
subscribed). A 2xx answer is a delivery; anything else is retried (5 s, 5 min, 30 min, 2 h, 5 h,
10 h, 14 h, 20 h, 24 h, or the endpoint's \`Retry-After\`); 410 disables the subscription.

**Sandboxes.** Without vendor URLs the server also runs sandboxes of ID.me, Prove, Veriff and
Sterling under \`/sandbox/<vendor>\`, which speak those vendors' own APIs and are not part of this one.
`.trim();

const ERROR_STATUSES: Record<string, string> = {
  400: 'Invalid request: `details.fields` names each problem',
  401: 'Missing or bad credentials',
  403: 'The caller may not do this',
  404: 'No such resource, or one the caller may not see',
  410: 'Erased: the data subject’s data key was destroyed (`details.erased_at`, `details.erased_by`)',
  409: 'Conflict: the actor’s state does not allow it, a version conflict, or an idempotent request still in flight',
  413: 'The body is larger than the limit',
  415: 'The body is not UTF-8 JSON or a form',
  422: 'Refused by a business rule (`code` says which), or an Idempotency-Key reused for another request',
  429: 'Rate limited: retry in a minute',
  405: 'The path exists, but not for this method: `Allow` lists the methods it takes',
  500: 'Something went wrong on the server; nothing was changed',
  502: 'A vendor the answer depends on could not be reached; try again in a moment',
  503: 'The store cannot be reached right now (PostgreSQL restarting, say); nothing was changed, retry in a moment',
};

/** The statuses in the error shape an operation can answer. */
export function errorStatuses(op: Operation): number[] {
  const common = op.security === 'credentials' || op.security === undefined ? [400, 401, 403, 404, 409, 410, 422, 429] : [];
  const bodies = op.method === 'post' && op.security !== 'none' ? [413, 415] : [];
  return [...new Set([...common, ...bodies, ...(op.errors ?? []), 500, 503])].filter((status) => !(status in op.responses)).sort();
}

/**
 * Converts zod schemas to JSON Schema (2020-12, OpenAPI 3.1's dialect), moving the named ones
 * (`.meta({ id })`) into `components.schemas`.
 */
class Schemas {
  readonly components: Record<string, JsonSchema> = {};
  private unnamed = 0;

  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const {
      $schema: _dialect,
      $defs = {},
      ...json
    } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = Object.fromEntries(Object.keys($defs).map((name) => [name, name.startsWith('__schema') ? `Schema${++this.unnamed}` : name]));
    const relink = (value: JsonSchema) =>
      JSON.parse(JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) => `"#/components/schemas/${names[name]}"`)) as JsonSchema;
    for (const [name, def] of Object.entries($defs)) this.components[names[name]] = relink(def);
    const root = relink(json);
    const id = root.id;
    if (typeof id !== 'string') return root;
    // A named schema at the root: stored once, referenced everywhere.
    delete root.id;
    this.components[id] = root;
    return { $ref: `#/components/schemas/${id}` };
  }
}

function content(body: Body, schemas: Schemas) {
  if (body === 'html') return { 'text/html': { schema: { type: 'string' } } };
  if (body === 'text') return { 'text/plain': { schema: { type: 'string' } } };
  if (body === 'events') return { 'text/event-stream': { schema: { type: 'string' } } };
  if (body === 'image') return { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } };
  if (body === 'redirect' || body === 'none') return undefined;
  return { 'application/json': { schema: schemas.of(body, 'output') } };
}

const SECURITY = {
  credentials: [{ apiKey: [] }, { bearer: [] }],
  metrics: [{ metricsToken: [] }, {}],
  none: [],
};

function operationObject(op: Operation, schemas: Schemas) {
  const parameters = [
    ...[...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: schemas.of(schema as z.ZodType, 'input'),
    })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(op.responses)) {
    responses[status] = {
      description:
        body === 'redirect' ? 'Redirect (see `Location`)' : ERROR_STATUSES[status] && typeof body === 'string' ? `${ERROR_STATUSES[status]} (a page)` : 'OK',
      ...(body === 'redirect' && { headers: { Location: { schema: { type: 'string' } } } }),
      ...(content(body, schemas) && { content: content(body, schemas) }),
    };
  }
  for (const status of errorStatuses(op)) responses[status] = { $ref: `#/components/responses/Error${status}` };
  const requestSchema = op.body && schemas.of(op.body, 'input');
  return {
    operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9_]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    security: SECURITY[op.security ?? 'credentials'],
    ...(parameters.length > 0 && { parameters }),
    ...(requestSchema && {
      requestBody: {
        required: !op.body!.safeParse({}).success,
        content: { 'application/json': { schema: requestSchema }, 'application/x-www-form-urlencoded': { schema: requestSchema } },
      },
    }),
    responses,
  };
}

/** The OpenAPI 3.1 document of trustwire's API, generated from the schemas the routes validate with. */
export function openApiDocument(): Record<string, unknown> {
  const schemas = new Schemas();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    paths[op.path][op.method] = operationObject(op, schemas);
  }
  const error = schemas.of(errorSchema, 'output');
  const event = schemas.of(eventSchema, 'output');
  const webhooks = Object.fromEntries(
    checkr.eventTypeSchema.options.map((type) => [
      type,
      {
        post: {
          summary: `${type}`,
          description: 'POSTed to each subscription; `data.object` is `{ id, object, uri }`, or the whole object with `include_object`.',
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'X-Checkr-Signature', 'X-Request-Id'].map((name) => ({
            name,
            in: 'header',
            required: name !== 'X-Request-Id',
            schema: { type: 'string' },
          })),
          requestBody: { required: true, content: { 'application/json': { schema: event } } },
          responses: {
            '2XX': { description: 'Delivered' },
            '410': { description: 'Gone: the subscription is disabled' },
            default: { description: 'Retried on the schedule' },
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.1',
    info: { title: 'trustwire', version: '1', description: DESCRIPTION },
    servers: [{ url: '/' }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas: schemas.components,
      responses: Object.fromEntries(
        Object.entries(ERROR_STATUSES).map(([status, description]) => [`Error${status}`, { description, content: { 'application/json': { schema: error } } }]),
      ),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'basic', description: 'The integrator’s API key as the user name, the password empty.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from `POST /v1/sessions` (members, staff), or the API key.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: '`METRICS_TOKEN`, when the server has one.' },
      },
    },
  };
}
