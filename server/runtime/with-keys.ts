import { KeyNotLoaded } from './held-keys.ts';
import type { Sealer } from './seal.ts';

/** Keys loaded before giving up: a command or a delivery touches a few subjects, each loaded once. */
const MAX_LOADS = 8;

/**
 * Runs `work` again after loading each subject key it lacked (issue 14: keys are read from the
 * store on demand; most are held already). Only for work that changes nothing before it commits
 * (a command's plan is pure) or may run more than once (an outbox delivery, at least once).
 */
export async function withKeys<T>(sealer: Sealer, work: () => Promise<T>): Promise<T> {
  for (let loads = 0; ; loads++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof KeyNotLoaded) || loads === MAX_LOADS) throw error;
      await sealer.load(error.subject);
    }
  }
}
