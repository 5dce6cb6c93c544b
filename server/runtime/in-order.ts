import { log } from '../log.ts';

/**
 * A queue that runs each piece of work once the one before it has finished, logging failures:
 * for commit listeners that wait on a subject's key being loaded (issue 14) and must still see
 * commits in their order.
 */
export function inOrder(what: string): (work: () => Promise<void>) => void {
  let last = Promise.resolve();
  return (work) => {
    last = last.then(work).catch((error: Error) => log.error({ err: error }, `${what} failed`));
  };
}
