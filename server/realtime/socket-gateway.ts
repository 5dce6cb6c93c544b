import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { errorAnswer } from '../error-status.ts';
import type { Caller } from '../runtime/caller.ts';
import { maySee } from '../runtime/caller.ts';
import type { ActorHost } from '../runtime/host.ts';
import { actorView } from '../runtime/view.ts';
import { audienceRoom, isAudienceRoom } from './audience.ts';
import type { Channel, Connections } from './publisher.ts';
import { RATE_LIMITED, type SocketCap, type SocketRateLimit } from './socket-limits.ts';

const RECOVERY_MS = 2 * 60_000;

/** Runs a command sent over the socket exactly as `POST /v1/commands` does (api/commands.ts). */
export type RunCommand = (caller: Caller, raw: unknown) => Promise<unknown>;

/**
 * Socket.IO: handshake auth (`auth: { token }`), one audience room per socket, `subscribe` for a
 * fresh view of an actor (the resync after a reconnect that could not be recovered), `command`
 * for sending an event as over REST, and connection state recovery for short disconnections (P4).
 *
 * With several nodes (`adapter`), every node publishes every change to its own sockets (changes
 * reach each node through the store), so changes go to local rooms only; notifications, sent by
 * the one node that delivers them, cross nodes through the adapter. That adapter cannot recover
 * connection state: after a reconnection clients resync by version.
 * Every event spends the caller's REST budget (acked `rate_limited` over it, disconnected when it
 * goes on), and a caller holds at most the cap of open sockets.
 */
export function socketGateway(
  http: HttpServer,
  authenticate: (token: string) => Caller | undefined,
  host: ActorHost,
  run: RunCommand,
  limits: { rate: SocketRateLimit; cap: SocketCap },
  adapter?: ServerOptions['adapter'],
): Channel & Connections & { io: Server; relayTo(channel: Channel): void } {
  const io = new Server(http, {
    serveClient: false,
    ...(adapter ? { adapter } : { connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS } }),
    cors: { origin: false },
  });
  // Rooms whose last socket dropped recently: changes must still be emitted to them, or there
  // is nothing in Socket.IO's buffer to replay when the socket recovers its session.
  const recoverable = new Map<string, number>();

  io.use((socket, next) => {
    const token = socket.handshake.auth?.token;
    const caller = typeof token === 'string' ? authenticate(token) : undefined;
    if (!caller) return next(new Error('unauthorized'));
    const release = limits.cap.acquire(caller);
    if (!release) return next(new Error('too_many_connections'));
    socket.data.caller = caller;
    socket.data.release = release;
    next();
  });

  io.on('connection', (socket) => {
    const caller = socket.data.caller as Caller;
    const room = audienceRoom(caller);
    if (!socket.recovered) void socket.join(room);
    socket.on('disconnect', () => {
      (socket.data.release as () => void)();
      recoverable.set(room, host.clock.now() + RECOVERY_MS);
    });

    const budget = limits.rate(caller);
    socket.use(([, ...args], next) => {
      void budget.spend().then((allowed) => {
        if (allowed) return next();
        const ack = args.at(-1);
        if (typeof ack === 'function') ack(RATE_LIMITED);
        if (budget.tooMany()) socket.disconnect(true);
      }, next);
    });

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
    send: (room, type, payload) => {
      (adapter && type !== 'notification' ? io.local : io).to(room).emit(type, payload);
      if (adapter && type === 'notification') io.serverSideEmit('notification', room, payload);
    },
    // Notifications other nodes delivered, for this node's other channels (the WebSocket stream).
    relayTo: (channel) => io.on('notification', (room: string, payload: unknown) => channel.send(room, 'notification', payload)),
    connections: () => [...io.sockets.adapter.rooms].filter(([room]) => isAudienceRoom(room)).map(([room, sockets]) => [room, sockets.size]),
    // The transport closes under each socket, so clients reconnect (to another node) as after a network drop.
    reconnectElsewhere: () => {
      for (const socket of io.sockets.sockets.values()) socket.conn.close();
    },
  };
}
