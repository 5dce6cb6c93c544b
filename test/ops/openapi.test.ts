import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkrEventTypes, trustwireEventTypes } from '../../server/checks/schemas.ts';
import { openApiDocument } from '../../server/openapi/document.ts';
import { checkResponse } from '../helpers/openapi.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every route of an Express 5 app, `:param` written `{param}` as OpenAPI writes it. */
function mounted(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      return [layer.route.path].flat().flatMap((path) => methods.map((method) => `${method} ${(prefix + path).replace(/:(\w+)/g, '{$1}')}`));
    }
    if (layer.handle?.stack) return mounted(layer.handle.stack, layer.rawPath && layer.rawPath !== '/' ? prefix + layer.rawPath : prefix);
    return [];
  });
}

describe('the OpenAPI document', () => {
  let t: TestServer;
  const document = openApiDocument() as any;
  beforeAll(async () => {
    t = await startTestServer({ DEMO: '1' });
  });
  afterAll(() => t.close());

  it('is served at /v1/openapi.json without credentials, as OpenAPI 3.1', async () => {
    const res = await fetch(`${t.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as any;
    expect(served).toEqual(JSON.parse(JSON.stringify(document)));
    expect(served.openapi).toMatch(/^3\.1\./);
    expect(served.jsonSchemaDialect ?? 'https://spec.openapis.org/oas/3.1/dialect/base').toBeTruthy();
  });

  it('has every route the app mounts (the vendor sandboxes speak their vendors’ APIs instead)', () => {
    // `stack` is Express 5's router; the app is composed exactly as in production, with DEMO=1.
    const routes = mounted((t.server.app as unknown as { router: { stack: Layer[] } }).router.stack).filter(
      (route) => !route.split(' ')[1].startsWith('/sandbox/'),
    );
    expect(routes.length).toBeGreaterThan(60);
    const documented = new Set(Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method} ${path}`)));
    expect(routes.filter((route) => !documented.has(route))).toEqual([]);
    expect([...documented].filter((operation) => !routes.includes(operation))).toEqual([]);
  });

  it('describes errors, lists, both credentials and the webhooks', () => {
    expect(document.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } });
    const commands = document.paths['/v1/commands'].post;
    expect(commands.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '422', '429', '500'])
      expect(commands.responses[status]).toEqual({ $ref: `#/components/responses/Error${status}` });
    expect(document.components.responses.Error404.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.schemas.Error.required).toEqual(['error', 'code']);
    const candidates = document.paths['/v1/candidates'].get.responses['200'].content['application/json'].schema;
    expect(candidates.required).toEqual(expect.arrayContaining(['data', 'object', 'count', 'next_href', 'previous_href']));
    expect(Object.keys(document.webhooks).toSorted()).toEqual([...checkrEventTypes, ...trustwireEventTypes].toSorted());
    expect(document.webhooks['report.completed'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Event' });
    expect(document.info.description).toMatch(/actor\.changed/);
    expect(document.info.description).toMatch(/\/v1\/stream/);
  });

  it('generates request schemas from the routes’ zod schemas', () => {
    const seeker = document.paths['/v1/seekers'].post.requestBody.content['application/json'].schema;
    expect(seeker).toMatchObject({
      type: 'object',
      required: ['email', 'plan'],
      additionalProperties: false,
      properties: { plan: { enum: ['legacy', 'starter', 'complete'] } },
    });
    const perPage = document.paths['/v1/actors'].get.parameters.find((p: any) => p.name === 'per_page');
    expect(perPage).toMatchObject({ in: 'query', required: false, schema: { maximum: 100 } });
  });

  it('holds only schemas a JSON Schema 2020-12 validator compiles', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(document, 'openapi');
    for (const name of Object.keys(document.components.schemas)) expect(() => ajv.compile({ $ref: `openapi#/components/schemas/${name}` }), name).not.toThrow();
  });

  it('is enforced: an answer the document does not describe fails the test that got it', () => {
    expect(() => checkResponse('GET', '/v1/actors/skr_1', 200, { id: 'skr_1' }, 'application/json')).toThrow(/refuses/);
    expect(() => checkResponse('GET', '/v1/actors/skr_1', 418, {}, 'application/json')).toThrow(/does not list/);
    expect(() => checkResponse('GET', '/v1/actors/skr_1', 404, { error: 'No such actor.', code: 'not_found' }, 'application/json')).not.toThrow();
    expect(() => checkResponse('GET', '/v1/actors/skr_1', 404, { message: 'nope' }, 'application/json')).toThrow(/refuses/);
  });
});

describe('the reference at /docs', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('works offline: the page loads its script from this server and reads the document', async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script src="/docs/reference.js">');
    expect(html).toContain('/v1/openapi.json');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const script = await fetch(`${t.url}/docs/reference.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});
