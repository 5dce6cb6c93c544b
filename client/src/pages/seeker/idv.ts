import { useCallback, useState } from 'react';
import { type ActorView, send } from '../../api.ts';

/**
 * The seeker's view, kept current from the socket by the page and, right after a command, from
 * the command's own answer (the socket's copy of the same change may come a moment later).
 */
export function useLatestView(live: ActorView) {
  const [answered, setAnswered] = useState<ActorView>();
  const view = answered && answered.id === live.id && answered.version > live.version ? answered : live;
  const command = useCallback(
    async (type: string, fields: Record<string, unknown> = {}) => {
      const next = await send(live.id, type, fields);
      setAnswered(next);
      return next;
    },
    [live.id],
  );
  return { view, command };
}

export type IdvStatus = 'not_required' | 'required' | 'in_progress' | 'manual_review' | 'verified' | 'failed' | 'cancelled';
export type IdvStep = 'legal_info' | 'prove_checking' | 'sms_code' | 'veriff_starting' | 'veriff_capture' | 'veriff_decision' | 'confirming_cancel' | null;

/** The IDV statuses in which the seeker is blocked and the dashboard prompts them (I2, I6, I8). */
export const PENDING_IDV: IdvStatus[] = ['required', 'cancelled', 'in_progress', 'manual_review'];

export const IDENTITY_TAB = '/seeker?tab=identity';
