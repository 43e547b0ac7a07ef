/**
 * The import worker: reads a file whose bytes the main thread passes on, checks its items and
 * prepares their rows (`prepareBatches`), and sends the batches back, while the main thread
 * writes the previous ones. See import-batches.ts for the protocol.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { readFormatBatches } from '../import/readers.js';
import {
  BATCHES_AHEAD,
  prepareBatches,
  type FromWorker,
  type ToWorker,
  type WorkerJob,
} from './import-batches.js';

const port = parentPort!;
const job = workerData as WorkerJob;
const send = (message: FromWorker) => port.postMessage(message);

/** The file's chunks as the main thread sends them; each read is acknowledged. */
async function* chunks(queue: ToWorker[], wake: { resolve?: () => void }) {
  for (;;) {
    const message = queue.shift();
    if (message === undefined) {
      await new Promise<void>((resolve) => {
        wake.resolve = resolve;
      });
      continue;
    }
    if (message.kind === 'end') return;
    if (message.kind === 'input-failed') throw new Error('the input failed');
    if (message.kind === 'chunk') {
      send({ kind: 'consumed' });
      const bytes = message.bytes;
      yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }
}

async function run(): Promise<void> {
  const input: ToWorker[] = [];
  const wake: { resolve?: () => void } = {};
  let acked = 0;
  let ackWaiter: (() => void) | undefined;
  port.on('message', (message: ToWorker) => {
    if (message.kind === 'ack') {
      acked += 1;
      ackWaiter?.();
      ackWaiter = undefined;
      return;
    }
    input.push(message);
    const resolve = wake.resolve;
    wake.resolve = undefined;
    resolve?.();
  });
  let sent = 0;
  const results = readFormatBatches(job.format, Readable.from(chunks(input, wake)), job.options);
  for await (const batch of prepareBatches(results, job)) {
    send({ kind: 'batch', batch });
    sent += 1;
    while (sent - acked >= BATCHES_AHEAD) {
      await new Promise<void>((resolve) => {
        ackWaiter = resolve;
      });
    }
  }
  send({ kind: 'done' });
}

run().catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ kind: 'failure', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
});
