/**
 * The requests Checkr's official Ruby client library (the `checkr-official` gem, 1.8.0) sends,
 * replayed byte for byte as far as they reach the server, so that a test sees what an integrator
 * who only changed the client's base URL would see. Learned from the library's source:
 *
 * - every request: HTTP Basic with the API key and an empty password, the library's
 *   `User-Agent` and `X-Checkr-Client-User-Agent` headers, and a form-encoded body
 *   (`Content-Type: application/x-www-form-urlencoded`), nested values in Rails brackets
 *   (`adverse_item_ids[]=…`, `metadata[key]=…`);
 * - GET and DELETE carry their parameters in the query string instead;
 * - `save` on a resource sends its changed attributes, and with them the nested lists the
 *   library fills in by default, each as its JSON text (`documents` of a candidate;
 *   `adverse_items`, `geos` and `verifications` of a report): keys the endpoint does not take;
 * - `AdverseAction.create(report_id:, …)` names the report in the path and repeats `report_id`
 *   in the body.
 *
 * Beside the Ruby library's form bodies, {@link OfficialClient.sendBack} plays a JSON client that
 * sends a whole object back with one field changed (read-only fields, nulls and lists included).
 */

type Params = Record<string, unknown>;

/** RestClient's form encoding: `{a: {b: 1}}` → `a[b]=1`, `{a: [1, 2]}` → `a[]=1&a[]=2`, other values as text. */
export function railsForm(params: Params, prefix?: string): [string, string][] {
  return Object.entries(params).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (Array.isArray(value))
      return value.flatMap((v) => (typeof v === 'object' && v !== null ? railsForm(v as Params, `${name}[]`) : [[`${name}[]`, String(v)] as [string, string]]));
    if (typeof value === 'object' && value !== null) return railsForm(value as Params, name);
    return [[name, String(value)] as [string, string]];
  });
}

/** What the library's `to_s` makes of an empty nested list it sends back: its non-nil attributes as pretty JSON. */
export const EMPTY_LIST_TEXT = JSON.stringify({ object: 'list', data: [] }, null, 2);

/** The lists `save` sends along, by resource (their default `{}` marks them changed). */
export const SAVED_ALONG: Record<'candidate' | 'report', Params> = {
  candidate: { documents: EMPTY_LIST_TEXT },
  report: { adverse_items: EMPTY_LIST_TEXT, geos: EMPTY_LIST_TEXT, verifications: EMPTY_LIST_TEXT },
};

export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: any;
}

export class OfficialClient {
  /** Every request sent and its answer, for checks that apply to all of them (the rate-limit headers). */
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  private headers(): Record<string, string> {
    return {
      // Ruby's Base64.encode64 ends the value with a newline, which the HTTP client strips.
      authorization: `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`,
      'user-agent': 'Checkr/::API_VERSION:: RubyBindings/1.8.0',
      'x-checkr-client-user-agent': JSON.stringify({
        bindings_version: '1.8.0',
        lang: 'ruby',
        lang_version: '3.3.0 p0 (2023-12-25)',
        platform: 'x86_64-linux',
        publisher: 'checkr',
        uname: 'Linux',
      }),
      'content-type': 'application/x-www-form-urlencoded',
    };
  }

  /** `Checkr.request(method, path, params)` as the library makes it. */
  async request(method: 'get' | 'post' | 'delete', path: string, params: Params = {}): Promise<Exchange> {
    const form = new URLSearchParams(railsForm(params)).toString();
    const inQuery = method !== 'post' && form !== '';
    const url = `${this.baseUrl}${path}${inQuery ? `${path.includes('?') ? '&' : '?'}${form}` : ''}`;
    const res = await fetch(url, { method: method.toUpperCase(), headers: this.headers(), body: method === 'post' ? form : undefined });
    const text = await res.text();
    const exchange = { method: method.toUpperCase(), path, status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    this.exchanges.push(exchange);
    return exchange;
  }

  /** `resource.save`: the changed attributes, and the nested lists the library sends along. */
  save(kind: 'candidate' | 'report', id: string, changed: Params): Promise<Exchange> {
    return this.request('post', `/v1/${kind}s/${id}`, { ...changed, ...SAVED_ALONG[kind] });
  }

  /** A JSON client's update: the whole object as it was read, with `changes` applied. */
  async sendBack(path: string, read: Params, changes: Params): Promise<Exchange> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({ ...read, ...changes }),
    });
    const exchange = { method: 'POST', path, status: res.status, headers: res.headers, body: await res.json() };
    this.exchanges.push(exchange);
    return exchange;
  }
}
