import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/** A vendor (or a fake of one) for a test: an express app on a loopback port, ephemeral unless given. */
export function listen(app: express.Express, port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

export const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
