import { useCallback, useState } from 'react';
import { ApiError, type ActorView } from '../../api.ts';
import { currentSession } from '../../session.ts';

/** A refusal of a command, with the fields the server complained about (400 `invalid_request`). */
export class CommandRefusal extends ApiError {
  constructor(
    status: number,
    code: string,
    serverMessage: string,
    readonly fields: { path: string; message: string }[],
  ) {
    super(status, code, serverMessage);
  }
}

/**
 * `POST /v1/commands` like `send()` in api.ts, but a refusal keeps `details.fields`, so a form can
 * mark the fields the server refused.
 */
export async function sendCommand(actor: string, type: string, fields: Record<string, unknown> = {}): Promise<ActorView> {
  const token = currentSession()?.token;
  let response: Response;
  try {
    response = await fetch('/v1/commands', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ actor, event: { type, ...fields } }),
    });
  } catch {
    throw new CommandRefusal(0, 'offline', 'The server could not be reached.', []);
  }
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) {
    const refused = Array.isArray(answer?.details?.fields) ? answer.details.fields : [];
    throw new CommandRefusal(response.status, answer?.code ?? 'unknown', answer?.error ?? response.statusText, refused);
  }
  return answer.actor as ActorView;
}

/**
 * The seeker's view, kept current from the socket by the page and, right after a command, from
 * the command's own answer (the socket's copy of the same change may come a moment later).
 */
export function useLatestView(live: ActorView) {
  const [answered, setAnswered] = useState<ActorView>();
  const view = answered && answered.id === live.id && answered.version > live.version ? answered : live;
  const command = useCallback(async (type: string, fields: Record<string, unknown> = {}) => {
    const next = await sendCommand(live.id, type, fields);
    setAnswered(next);
    return next;
  }, [live.id]);
  return { view, command };
}

export type IdvStatus = 'not_required' | 'required' | 'in_progress' | 'manual_review' | 'verified' | 'failed' | 'cancelled';
export type IdvStep = 'legal_info' | 'prove_checking' | 'sms_code' | 'veriff_starting' | 'veriff_capture' | 'veriff_decision' | 'confirming_cancel' | null;

/** The IDV statuses in which the seeker is blocked and the dashboard prompts them (I2, I6, I8). */
export const PENDING_IDV: IdvStatus[] = ['required', 'cancelled', 'in_progress', 'manual_review'];

export const IDENTITY_TAB = '/seeker?tab=identity';
