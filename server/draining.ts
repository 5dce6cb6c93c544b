import type { Server as HttpServer } from 'node:http';
import { type AddressInfo, connect, Server, type Socket } from 'node:net';

/** How long the listener waits for its own probe connection before it closes anyway. */
const PROBE_MS = 2000;

/**
 * The HTTP side of a graceful shutdown. Every request that reached the server before it is
 * answered, even one still in the kernel's accept queue or not read yet; then the connections
 * close and clients open their next one elsewhere. Upgraded connections (Socket.IO, the
 * WebSocket stream) are their gateways' to close.
 */
export class Draining {
  /** Open connections and whether each is between requests after having served one. */
  private readonly connections = new Map<Socket, { busy: number; served: boolean }>();
  private draining = false;
  private probe?: { socket: Socket; accepted: () => void };
  private readonly waiting = new Set<() => void>();

  /** Create it once every other `request` listener is attached (Socket.IO wraps the ones before it). */
  constructor(private readonly http: HttpServer) {
    http.on('connection', (socket: Socket) => {
      if (this.probe && socket.remotePort === this.probe.socket.localPort) {
        socket.destroy();
        return this.probe.accepted();
      }
      this.connections.set(socket, { busy: 0, served: false });
      socket.once('close', () => this.forget(socket));
    });
    http.on('request', (req, res) => {
      const connection = this.connections.get(req.socket);
      if (connection) connection.busy++;
      // Listeners before this one may have answered already (a synchronous handler).
      if (this.draining && !res.headersSent) res.setHeader('Connection', 'close');
      res.once('close', () => {
        if (!connection) return;
        connection.busy--;
        connection.served = true;
        if (this.draining && connection.busy === 0) req.socket.destroySoon();
      });
    });
    http.on('upgrade', (req) => this.forget(req.socket));
  }

  /**
   * Stops accepting connections. The listener closes only once a probe connection to itself
   * comes out of the accept queue: the queue is first in, first out, so every connection a client
   * made before is accepted, and answered.
   */
  async stopAccepting(): Promise<void> {
    this.draining = true;
    for (const [socket, connection] of this.connections) if (connection.served && connection.busy === 0) socket.destroySoon();
    await this.acceptQueued();
    this.stopListening();
  }

  /** Resolves when every HTTP connection has closed, or after `ms`. */
  idle(ms: number): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  private acceptQueued(): Promise<void> {
    const address = this.http.address() as AddressInfo | null;
    if (!address) return Promise.resolve();
    const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
    return new Promise((resolve) => {
      const probe = connect({ port: address.port, host });
      const done = () => {
        clearTimeout(timer);
        probe.destroy();
        resolve();
      };
      const timer = setTimeout(done, PROBE_MS);
      probe.once('error', done);
      this.probe = { socket: probe, accepted: done };
    });
  }

  /** `net.Server.close`, not `http.Server.close`: the latter also drops connections whose request is not read yet. */
  private stopListening() {
    if (this.http.listening) Server.prototype.close.call(this.http);
  }

  private forget(socket: Socket) {
    if (!this.connections.delete(socket) || this.connections.size > 0) return;
    for (const done of this.waiting) done();
  }
}
