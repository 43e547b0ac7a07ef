/**
 * The second core's share of a screening.
 *
 * 1. The job (in workerData, see screen-prestart.ts): starts at once, before the action index exists: claims and parses blocks of the
 *    objects file (up to MAX_AHEAD_BYTES), then waits (Atomics.wait on the job's control word)
 *    for the index message.
 * 2. `index`: taken off the port synchronously; the parsed blocks are probed, then blocks are
 *    claimed, parsed and probed until none are left. This thread then orders its ids (for the
 *    result) and sends everything to the main thread (typed arrays transferred, not copied).
 * 3. `duplicates`: looks for repeated ids in every thread's hashes (duplicate-ids.ts) while the
 *    main thread writes the result, which is committed only if none is found.
 * 4. `format` (large results only): formats every other segment of the result lines from the
 *    shared prepared arrays, handing each over as it is done.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { ActionIndexParts } from '../../analysis/screening/action-index.js';
import {
  BlockScanner,
  indexFromParts,
  ObjectCollector,
  resultTransferList,
  type CollectorResult,
  type ParsedBlock,
  type ScanJob,
} from './object-scan.js';
import {
  CivitasError,
  type ErrorCode,
  type FieldProblem,
} from '../../domain/shared/civitas-error.js';
import { checkDuplicateIds, type BucketedIdHashes } from './duplicate-ids.js';
import { formatResult, orderIds, type PreparedResult } from './result-writer.js';

/**
 * Bytes of the objects file parsed ahead of the index, at most. The main thread loads its code,
 * reads the actions and indexes them meanwhile (about a tenth of a second); a parsed megabyte
 * holds under 3 MB.
 */
const MAX_AHEAD_BYTES = 16 << 20;

/** Messages from the main thread. */
export type WorkerRequest =
  | {
      readonly kind: 'duplicates';
      readonly path: string;
      /** Every thread's bucketed id hashes (checkDuplicateIds). */
      readonly parts: readonly BucketedIdHashes[];
    }
  | { readonly kind: 'index'; readonly parts: ActionIndexParts }
  | {
      readonly kind: 'format';
      readonly prepared: PreparedResult;
      readonly actionIds: readonly string[];
      readonly population: Float64Array | undefined;
      /** Segment j is actions bounds[j]..bounds[j + 1]; this thread formats the odd ones. */
      readonly bounds: Int32Array;
      /**
       * Int32Array over a SharedArrayBuffer: [0] the last segment the main thread has written.
       * This thread stays at most two segments ahead, so memory stays bounded.
       */
      readonly written: Int32Array;
    };

/** Messages to the main thread. */
export type WorkerReply =
  | {
      readonly kind: 'result';
      readonly result: CollectorResult;
      /** orderIds(result), computed here. */
      readonly order: Int32Array;
    }
  | { readonly kind: 'formatted'; readonly segment: number; readonly chunks: Uint8Array[] }
  | {
      readonly kind: 'duplicates';
      /** The repeated id found, as the CivitasError to throw; none when every id is distinct. */
      readonly error?: {
        readonly code: ErrorCode;
        readonly message: string;
        readonly problems: readonly FieldProblem[];
      };
    }
  | { readonly kind: 'failure'; readonly message: string };

const port = parentPort;

function run(job: ScanJob): void {
  if (!port) return;
  const fd = openSync(job.path, 'r');
  try {
    const scanner = new BlockScanner(fd, job);
    // Parse ahead while the main thread is still building the index (MAX_AHEAD_BYTES at most).
    const ahead: ParsedBlock[] = [];
    let aheadBytes = 0;
    while (Atomics.load(job.control, 2) === 0 && aheadBytes < MAX_AHEAD_BYTES) {
      const block = scanner.parseNext();
      if (!block) break;
      ahead.push(block);
      aheadBytes += block.bytes;
    }
    while (Atomics.load(job.control, 2) === 0) Atomics.wait(job.control, 2, 0, 100);
    if (Atomics.load(job.control, 2) !== 1) return;
    const message = receiveMessageOnPort(port);
    const request = message?.message as WorkerRequest | undefined;
    if (!request || request.kind !== 'index') throw new Error('expected the action index');
    const collector = new ObjectCollector(indexFromParts(request.parts));
    for (const block of ahead) scanner.probe(block, collector);
    for (let block = scanner.parseNext(); block; block = scanner.parseNext()) {
      scanner.probe(block, collector);
    }
    collector.error = scanner.error;
    const result = collector.result();
    const order = orderIds(result);
    const reply: WorkerReply = { kind: 'result', result, order };
    port.postMessage(reply, [...resultTransferList(result), order.buffer as ArrayBuffer]);
  } finally {
    closeSync(fd);
  }
}

function format(request: Extract<WorkerRequest, { kind: 'format' }>): void {
  if (!port) return;
  const { prepared, actionIds, population, bounds, written } = request;
  for (let segment = 1; segment + 1 < bounds.length; segment += 2) {
    while (Atomics.load(written, 0) < segment - 2)
      Atomics.wait(written, 0, Atomics.load(written, 0), 100);
    const chunks: Uint8Array[] = [];
    formatResult(
      prepared,
      actionIds,
      population,
      bounds[segment] as number,
      bounds[segment + 1] as number,
      (chunk) => chunks.push(chunk),
    );
    const reply: WorkerReply = { kind: 'formatted', segment, chunks };
    port.postMessage(
      reply,
      chunks.map((c) => c.buffer as ArrayBuffer),
    );
  }
}

function duplicates(request: Extract<WorkerRequest, { kind: 'duplicates' }>): void {
  let reply: WorkerReply = { kind: 'duplicates' };
  try {
    checkDuplicateIds(request.path, request.parts);
  } catch (error) {
    if (!CivitasError.is(error)) throw error;
    reply = {
      kind: 'duplicates',
      error: { code: error.code, message: error.message, problems: error.problems },
    };
  }
  port?.postMessage(reply);
}

/** The job, given at start (screen-prestart.ts). */
const early = (workerData as { job?: ScanJob } | null)?.job;

if (port) {
  if (early) guarded(() => run(early));
  port.on('message', (request: WorkerRequest) => {
    if (request.kind === 'format') guarded(() => format(request));
    else if (request.kind === 'duplicates') guarded(() => duplicates(request));
  });
}

/** Runs a step; a failure goes to the main thread as a message. */
function guarded(step: () => void): void {
  try {
    step();
  } catch (error) {
    const reply: WorkerReply = {
      kind: 'failure',
      message: error instanceof Error ? error.message : String(error),
    };
    port?.postMessage(reply);
  }
}
