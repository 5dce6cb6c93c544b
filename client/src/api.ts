import type { ActorView as ServerActorView } from '../../contract/index.ts';
import { currentSession } from './session.ts';
import { sayError } from './words.ts';

/** The server's actor view, with `data` loosely typed: each page reads the fields of its kind. */
export type ActorView = Omit<ServerActorView, 'data'> & { data: Record<string, any> };

export interface List<T> {
  data: T[];
  count: number;
}

/** A refusal from the server, with a sentence a member understands, and the fields it refused (400 `invalid_request`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    serverMessage: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(sayError(code, serverMessage));
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = currentSession()?.token;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'The server could not be reached.');
  }
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) {
    const fields = Array.isArray(answer?.details?.fields) ? answer.details.fields : [];
    throw new ApiError(response.status, answer?.code ?? 'unknown', answer?.error ?? response.statusText, fields);
  }
  return answer as T;
}

/** A file the API serves behind the session (a document photo), as an object URL for `<img>`; revoke it when done. */
export async function objectUrl(path: string): Promise<string> {
  const token = currentSession()?.token;
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => undefined);
  if (!response?.ok) throw new ApiError(response?.status ?? 0, response ? 'unknown' : 'offline', 'The photo could not be loaded.');
  return URL.createObjectURL(await response.blob());
}

/** Sends one event to one actor (`POST /v1/commands`) and returns its new view. */
export async function send(actor: string, type: string, fields: Record<string, unknown> = {}): Promise<ActorView> {
  const answer = await request<{ actor: ActorView }>('POST', '/v1/commands', { actor, event: { type, ...fields } });
  return answer.actor;
}
