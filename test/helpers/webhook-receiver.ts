import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery as the receiver saw it, with both signatures checked by the receiver's own code. */
export interface Received {
  id: string;
  body: any;
  raw: string;
  headers: Record<string, string | string[] | undefined>;
  standardSignatureValid: boolean;
  checkrSignatureValid: boolean;
  answered: number;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Verifies `webhook-signature` the way a Standard Webhooks receiver does: any listed `v1,` signature may match. */
function standardValid(secret: string, headers: Received['headers'], raw: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  if (!(Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300)) return false; // a replay window, as receivers keep
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest('base64');
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => s.startsWith('v1,') && same(s.slice(3), expected));
}

/**
 * A marketplace's webhook endpoint for tests: records every delivery, checks its signatures, and
 * answers `status(n)` for the n-th delivery of an event (500 to make trustwire retry, say).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secret = '';
  private server?: Server;
  private waiters = new Set<() => void>();

  constructor(
    private readonly apiKey: string,
    private readonly status: (delivery: number, body: any) => number = () => 200,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw);
        const checkr = createHmac('sha256', this.apiKey).update(raw).digest('hex');
        const answered = this.status(this.received.filter((r) => r.id === body.id).length + 1, body);
        this.received.push({
          id: String(req.headers['webhook-id']),
          body,
          raw,
          headers: req.headers,
          standardSignatureValid: standardValid(this.secret, req.headers, raw),
          checkrSignatureValid: same(checkr, String(req.headers['x-checkr-signature'] ?? '')),
          answered,
        });
        res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
        for (const wake of this.waiters) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Deliveries of events of this type (about this object, if given). */
  of(type: string, objectId?: string): Received[] {
    return this.received.filter((r) => r.body.type === type && (!objectId || r.body.data.object.id === objectId));
  }

  /** Resolves once `check` holds for what was received, or rejects after `ms`. */
  until(check: (received: Received[]) => boolean, what: string, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check(this.received)) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no ${what} within ${ms} ms; got ${this.received.map((r) => r.body.type).join(', ')}`));
      }, ms);
      this.waiters.add(wake);
      wake();
    });
  }

  async close() {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
