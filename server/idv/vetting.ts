import type { Vetting } from '../api/commands.ts';
import { refused } from '../runtime/errors.ts';
import type { Blocklist } from './blocklist.ts';

/** I7 at SUBMIT_LEGAL_INFO: legal information matching a blocklisted identity is refused (API.md). */
export function legalInfoVetting(blocklist: Blocklist): Record<string, Vetting> {
  return {
    // biome-ignore lint/correctness/noComponentHookFactories: an event name, not a React component
    SUBMIT_LEGAL_INFO: async (event) => {
      const e = event as { legal_first_name: string; legal_last_name: string; dob: string; phone: string };
      const identity = { phones: [e.phone], legal: { first: e.legal_first_name, last: e.legal_last_name, dob: e.dob } };
      if (await blocklist.blocked(identity)) throw refused('blocklisted');
    },
  };
}
