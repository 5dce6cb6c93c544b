import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

/**
 * The guard of every URL trustwire calls on someone else's say (webhook subscriptions, the CRM and
 * billing forwarders): only public unicast addresses. Loopback, private and unique-local ranges
 * are allowed with `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_NETWORKS=1: development, in-cluster
 * receivers); link-local (cloud metadata), CGNAT, multicast, unspecified and the other special
 * ranges never. The address checked at delivery is the one connected to (no DNS rebinding), and
 * redirects are not followed.
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
}

const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal']);

export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
}

/** Whether an IP address (any notation `ipaddr.js` reads, IPv4-mapped IPv6 included) may be called. */
export function addressAllowed(address: string, policy: OutboundPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'unicast' || (policy.allowPrivate && PRIVATE_RANGES.has(range));
}

/** The URL's host when it is an IP literal. WHATWG URL parsing already turns `0x7f000001` and `2130706433` into `127.0.0.1`. */
function literalHost(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : undefined;
}

/**
 * Why a URL may not be called, or undefined when it may. A host name is resolved and every
 * address it has must be allowed; a name that does not resolve yet is left to the delivery check.
 */
export async function refusal(value: string, policy: OutboundPolicy): Promise<string | undefined> {
  if (!URL.canParse(value)) return 'is not a URL';
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be http(s)';
  if (url.username || url.password) return 'must not carry credentials';
  const literal = literalHost(url);
  const addresses = literal
    ? [literal]
    : await lookupAll(url.hostname, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => [],
      );
  if (addresses.some((a) => !addressAllowed(a, policy))) return 'points at a loopback, private, link-local or otherwise reserved address';
  return undefined;
}

/** dns.lookup that fails for a name resolving to any refused address: net.connect uses what it answers. */
function guardedLookup(policy: OutboundPolicy) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    lookup(hostname, { ...options, all: true }, (err, found: LookupAddress[]) => {
      if (err) return callback(err, '');
      if (found.length === 0 || found.some((a) => !addressAllowed(a.address, policy))) {
        return callback(Object.assign(new OutboundRefused(`${hostname} resolves to a refused address`), { code: 'EREFUSED_ADDRESS' }), '');
      }
      if (options.all) return callback(null, found);
      callback(null, found[0].address, found[0].family);
    });
  };
}

/** A fetch for outside URLs: the policy checked on the literal host and on every resolved address; redirects returned, not followed. */
export function outboundFetch(policy: OutboundPolicy) {
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(policy) } });
  return async (value: string, init: Omit<RequestInit, 'dispatcher' | 'redirect'>): Promise<Response> => {
    const url = new URL(value);
    const literal = literalHost(url);
    if (literal && !addressAllowed(literal, policy)) throw new OutboundRefused(`${literal} is a refused address`);
    return fetch(url, { ...init, redirect: 'manual', dispatcher });
  };
}

export type OutboundFetch = ReturnType<typeof outboundFetch>;
