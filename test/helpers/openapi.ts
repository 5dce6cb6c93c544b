import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../server/openapi/document.ts';

/**
 * The drift check: every answer the API suites receive through the test helpers is checked
 * against the OpenAPI document the server serves. A route missing from the document, a status
 * it does not list, or a body its schema refuses fails the test that received it.
 */

type Json = Record<string, any>;

let checker: { document: Json; ajv: Ajv2020; templates: { path: string; regexp: RegExp; params: number }[] } | undefined;
const compiled = new Map<string, ValidateFunction>();

function load() {
  if (checker) return checker;
  const document = openApiDocument() as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  const templates = Object.keys(document.paths).map((path) => ({
    path,
    regexp: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
    params: (path.match(/\{/g) ?? []).length,
  }));
  checker = { document, ajv, templates };
  return checker;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function validator(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = load().ajv.compile({ $ref: `openapi#/${ref}` });
    compiled.set(ref, validate);
  }
  return validate;
}

/** Throws unless `status` and `body` are what the document says `method url` answers. */
export function checkResponse(method: string, url: string, status: number, body: unknown, contentType: string | null) {
  const { document, templates } = load();
  const path = new URL(url, 'http://x').pathname;
  const lower = method.toLowerCase();
  const template = templates.filter((t) => t.regexp.test(path) && document.paths[t.path][lower]).sort((a, b) => a.params - b.params)[0];
  let ref: string;
  if (!template) {
    // The sandboxes speak their vendors' APIs, not this one.
    if (path.startsWith('/sandbox/')) return;
    // No such route: the API's 404 (or an earlier refusal: credentials, the body) in the error shape.
    if (![400, 401, 404, 405, 413, 415, 429].includes(status))
      throw new Error(`${method} ${path} answered ${status}, and the OpenAPI document has no such operation`);
    ref = pointer('components', 'responses', `Error${status}`);
  } else {
    const responses = document.paths[template.path][lower].responses;
    if (!(status in responses))
      throw new Error(
        `${method} ${template.path} answered ${status}, which the OpenAPI document does not list (it lists ${Object.keys(responses).join(', ')})`,
      );
    ref = responses[status].$ref ? responses[status].$ref.slice(2) : pointer('paths', template.path, lower, 'responses', String(status));
  }
  const response = ref.split('/').reduce((node: Json, part) => node[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  const json = response.content?.['application/json'];
  if (!json) return;
  if (!contentType?.startsWith('application/json'))
    throw new Error(`${method} ${path} answered ${status} with ${contentType}, not JSON as the OpenAPI document says`);
  const validate = validator(`${ref}/content/application~1json/schema`);
  if (!validate(body)) {
    const problems = validate.errors!.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    throw new Error(
      `${method} ${path} answered ${status} with a body the OpenAPI document refuses:\n  ${problems.join('\n  ')}\n${JSON.stringify(body).slice(0, 1000)}`,
    );
  }
}
