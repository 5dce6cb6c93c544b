import type { Response } from 'express';
import type { Commit, Store } from '../store/store.ts';

// A comment line now and then keeps proxies from closing a quiet stream.
const KEEP_ALIVE_MS = 25_000;

interface Follower {
  res: Response;
  /** The actors the page shows: a commit to any of them changes it. */
  actors: Set<string>;
  watched(): Promise<string[]>;
}

/**
 * The hosted candidate pages (the apply status page, the status link's page) following their
 * checks (B6): each open page holds a server-sent event stream, told `changed` when a commit
 * (from this node or, on a shared database, another) touches an actor the page shows.
 */
export class PageFollowers {
  private readonly followers = new Set<Follower>();

  constructor(store: Store) {
    store.onCommitted((commit) => this.committed(commit));
  }

  /** Streams `res` the changes of the actors `watched` names, asked again after each change (a new report joins). */
  async follow(res: Response, watched: () => Promise<string[]>): Promise<void> {
    const follower: Follower = { res, actors: new Set(await watched()), watched };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write(': following\n\n');
    this.followers.add(follower);
    const keepAlive = setInterval(() => res.write(': still here\n\n'), KEEP_ALIVE_MS);
    res.on('close', () => {
      clearInterval(keepAlive);
      this.followers.delete(follower);
    });
  }

  private committed(commit: Commit): void {
    const touched = commit.actors.map((a) => a.actor.id);
    for (const follower of this.followers) {
      if (!touched.some((id) => follower.actors.has(id))) continue;
      follower.res.write('event: changed\ndata: {}\n\n');
      // Asked once the host took the commit into its actor cache (listeners run before it does).
      setImmediate(() => this.rewatch(follower));
    }
  }

  private async rewatch(follower: Follower): Promise<void> {
    follower.actors = new Set(await follower.watched().catch(() => [...follower.actors]));
  }
}
