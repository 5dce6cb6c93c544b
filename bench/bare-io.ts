/**
 * Baseline for the fan-out benchmark: a bare Socket.IO server with every socket in one room;
 * `POST /emit` broadcasts its JSON body (an `actor.changed` message) to the room, then answers
 * with the message's version as trustwire's `POST /v1/commands` does.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer(async (req, res) => {
  let answer: unknown = { ok: true };
  if (req.method === 'POST' && req.url === '/emit') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const message = JSON.parse(body) as { actor: { version: number } };
    io.to('fans').emit('actor.changed', message);
    answer = { actor: { version: message.actor.version } };
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(answer));
});
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => void socket.join('fans'));
http.listen(Number(process.env.PORT));

// Ends on SIGTERM (its default action), or with the benchmark if that dies first.
process.once('disconnect', () => process.exit(0));
