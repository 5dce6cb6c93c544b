/** What the vendor adapters share: reading vendors' JSON, their errors, and cached bearer tokens. */

export type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** A failed vendor call. The message names the operation and codes only, never personal data. */
export class VendorError extends Error {
  /** `status` 0 means no HTTP answer: `code` is then `timeout` or `network`. */
  constructor(
    vendor: string,
    readonly status: number,
    readonly code: string,
    readonly operation: string,
  ) {
    super(`${vendor} ${operation} failed: ${status} ${code}`);
  }
}

/** Worth another attempt later: no answer, the vendor's own failures (an unreadable answer among them) and throttling. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof VendorError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** Tokens are renewed this long before they expire, so no request carries a stale one. */
const TOKEN_MARGIN_S = 60;

/** A client-credentials bearer token, cached until shortly before it expires; concurrent callers share one request. */
export class BearerToken {
  private token?: { value: string; renewAt: number };
  private request?: Promise<string>;

  constructor(private readonly fetchToken: () => Promise<{ value: string; expiresInS: number }>) {}

  get(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    this.request ??= this.renew().finally(() => {
      this.request = undefined;
    });
    return this.request;
  }

  /** A token the vendor refused (revoked, or the vendor restarted): the next `get()` asks for a new one. */
  drop(value: string) {
    if (this.token?.value === value) this.token = undefined;
  }

  private async renew(): Promise<string> {
    const requestedAt = Date.now();
    const { value, expiresInS } = await this.fetchToken();
    const lifetime = expiresInS > 2 * TOKEN_MARGIN_S ? expiresInS - TOKEN_MARGIN_S : expiresInS / 2;
    this.token = { value, renewAt: requestedAt + lifetime * 1000 };
    return value;
  }
}
