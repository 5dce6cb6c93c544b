import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { errorAnswer } from '../error-status.ts';
import type { Caller } from '../runtime/caller.ts';
import { maySee } from '../runtime/caller.ts';
import type { ActorHost } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import { audienceRoom } from './audience.ts';
import type { Channel } from './publisher.ts';

const RECOVERY_MS = 2 * 60_000;

/** Runs a command sent over the socket exactly as `POST /v1/commands` does (api/commands.ts). */
export type RunCommand = (caller: Caller, raw: unknown) => Promise<unknown>;

/**
 * Socket.IO: handshake auth (`auth: { token }`), one audience room per socket, `subscribe` for a
 * fresh view of an actor (the resync after a reconnect that could not be recovered), `command`
 * for sending an event as over REST, and connection state recovery for short disconnections (P4).
 */
export function socketGateway(http: HttpServer, authenticate: (token: string) => Caller | undefined, host: ActorHost, run: RunCommand): Channel & { io: Server } {
  const io = new Server(http, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS },
    cors: { origin: false },
  });
  // Rooms whose last socket dropped recently: changes must still be emitted to them, or there
  // is nothing in Socket.IO's buffer to replay when the socket recovers its session.
  const recoverable = new Map<string, number>();

  io.use((socket, next) => {
    const token = socket.handshake.auth?.token;
    const caller = typeof token === 'string' ? authenticate(token) : undefined;
    if (!caller) return next(new Error('unauthorized'));
    socket.data.caller = caller;
    next();
  });

  io.on('connection', (socket) => {
    const caller = socket.data.caller as Caller;
    const room = audienceRoom(caller);
    if (!socket.recovered) void socket.join(room);
    socket.on('disconnect', () => recoverable.set(room, host.clock.now() + RECOVERY_MS));

    socket.on('subscribe', async (request: unknown, ack?: (answer: unknown) => void) => {
      if (typeof ack !== 'function') return;
      const id = (request as { actor?: unknown } | null)?.actor;
      const loaded = typeof id === 'string' ? await host.load(id).catch(() => undefined) : undefined;
      if (!loaded || !maySee(caller, loaded.actor)) return ack({ ok: false, error: 'No such actor.', code: 'not_found' });
      ack({ ok: true, actor: actorView(loaded, caller, host.now()) });
    });

    // `POST /v1/commands` over the socket: acked `{ ok, actor }`, or `{ ok: false, status, code, error, details }`.
    socket.on('command', async (request: unknown, ack?: (answer: unknown) => void) => {
      if (typeof ack !== 'function') return;
      try {
        ack({ ok: true, actor: await run(caller, request) });
      } catch (error) {
        const answer = errorAnswer(error, { socket: 'command' });
        ack({ ok: false, status: answer.status, ...answer.body });
      }
    });

    // Changes reach a socket through its audience room, so there is nothing to leave.
    socket.on('unsubscribe', (_request: unknown, ack?: (answer: unknown) => void) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
  });

  return {
    io,
    hasAudience: (room) => {
      if ((io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0) return true;
      const until = recoverable.get(room);
      if (until !== undefined && until <= host.clock.now()) recoverable.delete(room);
      return until !== undefined && until > host.clock.now();
    },
    send: (room, type, payload) => io.to(room).emit(type, payload),
  };
}
