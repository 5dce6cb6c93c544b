import type { Server as HttpServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Caller } from '../runtime/caller.ts';
import { audienceRoom } from './audience.ts';
import type { Channel, Connections } from './publisher.ts';
import type { SocketCap } from './socket-limits.ts';

/**
 * The plain WebSocket feed at `/v1/stream?token=…` for consumers without Socket.IO: the same
 * changes and notifications, one JSON object per message, filtered by the same audience rules.
 * Its connections count towards the caller's cap of open sockets (429 over it).
 */
export function wsStream(http: HttpServer, authenticate: (token: string) => Caller | undefined, cap: SocketCap): Channel & Connections & { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const rooms = new Map<string, Set<WebSocket>>();

  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/v1/stream') return; // Socket.IO answers its own upgrades
    const caller = authenticate(url.searchParams.get('token') ?? '');
    if (!caller) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{"error":"Missing or bad credentials.","code":"unauthorized"}');
      return;
    }
    const release = cap.acquire(caller);
    if (!release) {
      socket.end(
        'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n\r\n{"error":"Too many open sockets for this caller.","code":"too_many_connections"}',
      );
      return;
    }
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const room = audienceRoom(caller);
      const members = rooms.get(room) ?? new Set();
      members.add(ws);
      rooms.set(room, members);
      ws.on('close', () => {
        members.delete(ws);
        if (members.size === 0) rooms.delete(room);
      });
      ws.on('message', () => ws.close(1003, 'the stream is read-only'));
    });
  });

  return {
    hasAudience: (room) => rooms.has(room),
    send: (room, type, payload) => {
      const text = JSON.stringify({ type, ...(payload as object) });
      for (const ws of rooms.get(room) ?? []) ws.send(text);
    },
    connections: () => [...rooms].map(([room, members]) => [room, members.size]),
    // 1012 "service restart": the client should connect again, to another node.
    reconnectElsewhere: () => {
      for (const members of rooms.values()) for (const ws of members) ws.close(1012, 'the server is restarting; connect again');
    },
    close: () => {
      for (const members of rooms.values()) for (const ws of members) ws.terminate();
      wss.close();
    },
  };
}
