/** A bounded least-recently-used cache (actors, subject keys): what is not used lately drops out (Orleans-style for actors). */
export class LruCache<V> {
  private entries = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

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
