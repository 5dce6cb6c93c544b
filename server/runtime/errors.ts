/** A refusal the API turns into its error shape: `{ error, code, details }` with this status. */
export class CommandError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what = 'actor') => new CommandError(404, 'not_found', `No such ${what}.`);
export const forbidden = (message = 'Your role may not do this.') => new CommandError(403, 'forbidden', message);
