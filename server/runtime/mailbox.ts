/**
 * Per-actor mailboxes: work for one actor id runs one item at a time, in arrival order (P2);
 * work for different actors runs concurrently.
 */
export class Mailboxes {
  private tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier item for `id` has finished. */
  run<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return result;
  }
}
