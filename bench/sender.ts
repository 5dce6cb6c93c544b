import { Worker } from 'node:worker_threads';
import { API_KEY } from './child.ts';

/** Milliseconds on the monotonic clock (CLOCK_MONOTONIC), the same in every thread of the machine. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

// Plain JavaScript: an eval'd worker does not go through tsx.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const now = () => Number(process.hrtime.bigint()) / 1e6;
parentPort.on('message', async ({ url, headers, body }) => {
  try {
    const sentAt = now();
    const response = await fetch(url, { method: 'POST', headers, body });
    const answer = await response.json();
    parentPort.postMessage({ status: response.status, answer, sentAt, answeredAt: now() });
  } catch (error) {
    parentPort.postMessage({ status: 0, answer: String(error), sentAt: 0, answeredAt: 0 });
  }
});`;

export interface Sent<T> {
  answer: T;
  /** Monotonic times (monotonicMs) of sending and of the answer, taken on the sender's thread. */
  sentAt: number;
  answeredAt: number;
}

/**
 * POSTs JSON from a worker thread, so that the time of the answer is taken on an event loop that
 * is not busy with this process's 1,000 socket clients (which would otherwise read their
 * messages before the answer and make every delivery look earlier than the ack).
 */
export class Sender {
  private readonly worker = new Worker(WORKER, { eval: true });

  post<T>(url: string, body: unknown): Promise<Sent<T>> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (sent: Sent<T> & { status: number }) => {
        if (sent.status < 200 || sent.status >= 300) reject(new Error(`POST ${url}: ${sent.status} ${JSON.stringify(sent.answer)}`));
        else resolve(sent);
      });
      this.worker.postMessage({ url, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
