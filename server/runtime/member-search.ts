import { createHmac } from 'node:crypto';
import type { Caller } from './caller.ts';

/** What a member search reads of a seeker's or provider's context (both kinds name these fields alike). */
interface Searchable {
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  legal_info?: { legal_first_name?: string; legal_last_name?: string; phone?: string };
}

const MEMBER_KINDS = new Set(['seeker', 'provider']);
/** Word prefixes indexed from this length: a search for "sal" finds Sally. */
const MIN_PREFIX = 2;
const MAX_PREFIX = 20;
/** Phone numbers are found by their last digits, from this many, or whole. */
const MIN_PHONE = 4;

const normal = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string | undefined) =>
  s
    ? normal(s)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
    : [];
const digits = (s: string | undefined) => (s ? s.replace(/\D/g, '') : '');

function prefixes(word: string): string[] {
  const out = [word];
  for (let n = MIN_PREFIX; n < Math.min(word.length, MAX_PREFIX + 1); n++) out.push(word.slice(0, n));
  return out;
}

function suffixes(number: string): string[] {
  const out: string[] = [];
  for (let n = MIN_PHONE; n <= number.length; n++) out.push(number.slice(-n));
  return out;
}

/**
 * The keyed blind index of member search (issue 14): a member's normalised name words (and
 * their prefixes), email address and phone numbers become HMAC tokens under a key derived from
 * the data key, stored on the actor record (`search`) and indexed by the store, which so never
 * sees any of them in clear. A query is tokenised the same way, and the store intersects.
 *
 * Account names and the email are `open` (every staff role searches by them); legal names and
 * phones are `restricted`, searched only by callers who see them in clear (not agents, whose
 * view masks them: a search would tell what the mask hides).
 */
export class MemberSearch {
  private readonly key: Buffer;

  constructor(dataKey: Buffer) {
    this.key = createHmac('sha256', dataKey).update('trustwire member search index v1').digest();
  }

  /** The clear fields the tokens come from, as one string: unchanged fields need no new tokens. */
  fields(kind: string, context: unknown): string | undefined {
    if (!MEMBER_KINDS.has(kind)) return undefined;
    const c = context as Searchable;
    return [c.email, c.first_name, c.last_name, c.phone, c.legal_info?.legal_first_name, c.legal_info?.legal_last_name, c.legal_info?.phone].join('\u0000');
  }

  /** The tokens of a member (undefined for other kinds). */
  tokens(kind: string, context: unknown): string[] | undefined {
    if (!MEMBER_KINDS.has(kind)) return undefined;
    const c = context as Searchable;
    const open = [...words(c.first_name), ...words(c.last_name), ...words(c.email?.split('@')[0])].flatMap(prefixes);
    const restricted = [...words(c.legal_info?.legal_first_name), ...words(c.legal_info?.legal_last_name)].flatMap(prefixes);
    const phones = [c.phone, c.legal_info?.phone]
      .map(digits)
      .filter((d) => d.length >= MIN_PHONE)
      .flatMap(suffixes);
    const tokens = [
      ...open.map((w) => this.token('o', w)),
      ...(c.email ? [this.token('e', normal(c.email.trim()))] : []),
      ...restricted.map((w) => this.token('r', w)),
      ...phones.map((p) => this.token('p', p)),
    ];
    return [...new Set(tokens)];
  }

  /**
   * A query as terms, each a list of alternative tokens: a member matches when it holds one token
   * of every term. An address with `@` is an email; digits alone (4 or more) a phone number; else
   * every word must match a name word (or the start of one) or a word of the email's local part.
   */
  terms(q: string, caller: Caller): string[][] {
    const clear = caller.role !== 'agent';
    if (q.includes('@')) return [[this.token('e', normal(q.trim()))]];
    const number = digits(q);
    if (/^[\d\s()+.-]+$/.test(q) && number.length >= MIN_PHONE) return clear ? [[this.token('p', number)]] : [];
    return words(q).map((w) => (clear ? [this.token('o', w), this.token('r', w)] : [this.token('o', w)]));
  }

  private token(field: string, value: string): string {
    return createHmac('sha256', this.key).update(`${field}\u0000${value}`).digest().subarray(0, 12).toString('base64url');
  }
}
