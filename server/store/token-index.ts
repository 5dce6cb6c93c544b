/**
 * Member search's blind index: token → ids of the actors holding it. Most tokens belong to one
 * member (a blind email, a phone), so a token maps to that id alone, and to a Set only once a
 * second actor holds it: a Set per token cost most of the index's memory (issue 14).
 */
export class TokenIndex {
  private readonly ids = new Map<string, string | Set<string>>();

  add(token: string, id: string): void {
    const held = this.ids.get(token);
    if (held === undefined) this.ids.set(token, id);
    else if (typeof held !== 'string') held.add(id);
    else if (held !== id) this.ids.set(token, new Set([held, id]));
  }

  remove(token: string, id: string): void {
    const held = this.ids.get(token);
    if (held === id) this.ids.delete(token);
    else if (typeof held !== 'string' && held?.delete(id) && held.size === 1) this.ids.set(token, held.values().next().value!);
  }

  /** Ids of the actors holding the token. */
  *holding(token: string): Generator<string> {
    const held = this.ids.get(token);
    if (typeof held === 'string') yield held;
    else if (held) yield* held;
  }
}
