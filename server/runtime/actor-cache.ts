/** A bounded least-recently-used cache of activated actors (Orleans-style: idle actors drop out). */
export class ActorCache<V> {
  private entries = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(id: string): V | undefined {
    const value = this.entries.get(id);
    if (value !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, value);
    }
    return value;
  }

  /** Reads without marking the entry as used. */
  peek(id: string): V | undefined {
    return this.entries.get(id);
  }

  delete(id: string) {
    this.entries.delete(id);
  }

  deleteWhere(match: (value: V) => boolean) {
    for (const [id, value] of this.entries) if (match(value)) this.entries.delete(id);
  }

  set(id: string, value: V) {
    this.entries.delete(id);
    this.entries.set(id, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}
