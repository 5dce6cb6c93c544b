import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { kindOfId } from '../../machines/index.ts';
import type { By, Caller } from '../runtime/caller.ts';
import { DomainError, forbidden, notFound } from '../runtime/errors.ts';
import type { ActorHost, Loaded } from '../runtime/host.ts';
import { type ActorView, actorView, maySend } from '../runtime/view.ts';
import type { StoredRecord } from '../store/store.ts';
import { loadVisible } from './access.ts';
import { parse } from './errors.ts';
import { rememberAnswer } from './idempotency.ts';

export const commandBody = z
  .object({
    actor: z.string().min(1).max(64),
    event: z.looseObject({ type: z.string().min(1).max(64) }),
    expected_version: z.number().int().min(0).optional(),
  })
  .strict();

/** A business rule checked against the world before an event is sent (a blocklist lookup, say); throws its refusal. */
export type Vetting = (event: Record<string, unknown>, actor: Loaded) => Promise<void>;

/**
 * One command: validated, authorized and sent to its actor, resolved once the change is durable
 * with the caller's view of the actor. The same over REST and over the socket.
 */
export type RunCommand = (caller: Caller, raw: unknown, answer?: (view: ActorView) => StoredRecord[]) => Promise<ActorView>;

/** Runs a command through its actor, measured as one command of an actor kind and event type (metrics). */
export type TimeCommand = <T>(kind: string, event: string, work: () => Promise<T>) => Promise<T>;

export function commandRunner(host: ActorHost, vetting: Record<string, Vetting> = {}, time: TimeCommand = (_kind, _event, work) => work()): RunCommand {
  return async (caller, raw, answer) => {
    const body = parse(commandBody, raw, 'command');
    const kind = kindOfId(body.actor);
    if (!kind) throw notFound();
    // Fields are checked on the raw body: a parsed copy would hide a `__proto__` key.
    const { type: _type, ...fields } = (raw as { event: Record<string, unknown> }).event;
    const type = body.event.type;
    const command = Object.hasOwn(kind.commands, type) ? kind.commands[type] : undefined;
    if (!command) {
      throw new DomainError('invalid_request', `Unknown event type ${type} for a ${kind.kind}.`, { allowed: Object.keys(kind.commands) });
    }
    // What is sent is what the schema made of the fields: trimmed, defaulted, coerced.
    const event = { type, ...parse(command.fields, fields, `${type} event`) };
    const loaded = await loadVisible(host, caller, body.actor);
    if (!maySend(kind, type, caller, loaded.actor.id, loaded.snapshot.context)) {
      throw forbidden(`A ${caller.role} may not send ${type} to this ${kind.kind}.`);
    }
    if (Object.hasOwn(vetting, type)) await vetting[type](event, loaded);
    // The view answered is the one stored with the change (as the idempotent answer), when one is.
    let view: ActorView | undefined;
    const changed = await time(kind.kind, type, () =>
      host.send(body.actor, event, attribution(caller, loaded, command.by), {
        expected_version: body.expected_version,
        answer:
          answer &&
          ((after) => {
            view = actorView(after, caller, host.now());
            return answer(view);
          }),
      }),
    );
    return view ?? actorView(changed, caller, host.now());
  };
}

/** `POST /v1/commands`: one event to one actor, answered once the change is durable; `guard` runs first (auth, body, idempotency). */
export function commandsRouter(run: RunCommand, guard: RequestHandler[]) {
  const router = Router();
  router.post('/commands', guard, async (req: Request, res: Response) => {
    const remember = rememberAnswer(res);
    res.json({ actor: await run(req.caller, req.body, remember && ((actor) => [remember(200, { actor })])) });
  });
  return router;
}

/** History records who acted, and for an integrator relaying a member's action, on whose behalf. */
export function attribution(caller: Caller, loaded: Loaded, senders: string[]): By {
  if (caller.role !== 'integrator') return { role: caller.role, subject: caller.subject };
  const context = loaded.snapshot.context as Record<string, unknown>;
  const side = senders.find((s) => s === 'seeker' || s === 'provider');
  const member = side ? (context[`${side}_id`] ?? loaded.actor.id) : undefined;
  return member ? { role: 'integrator', on_behalf_of: String(member) } : { role: 'integrator' };
}
