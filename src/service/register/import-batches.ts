import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  ListKind,
  ProtectedObjectInput,
} from '../../domain/protected-object/protected-object.js';
import { objectRowValues } from '../../store/object-row.js';
import type { ObjectRowBatch } from '../../store/ports.js';
import type { ImportError, ImportResult } from '../import/import-result.js';
import type { ImportFile, ImportFormat, ReaderOptions } from '../import/readers.js';
import { toProtectedObject } from './object.service.js';

/** What turns an import's objects into rows: the list to put them on, and who writes when. */
export interface PrepareJob {
  readonly list?: ListKind;
  readonly restriction?: string;
  readonly at: string;
  readonly by: string;
}

/**
 * A batch of an import, read, checked and turned into rows: the rows of its good items (version
 * 1, ids left empty for the writer to fill), where each came from, and its bad items.
 */
export interface PreparedBatch {
  /** Items read for this batch, good and bad. */
  readonly read: number;
  readonly errors: ImportError[];
  readonly rows: ObjectRowBatch;
  /** Per row, its item's index and line (-1 when the format has no lines). */
  readonly places: number[];
}

/** Items per batch: large enough to amortise a batch, small enough to keep memory low. */
export const PREPARED_BATCH = 2000;

/** The object as the import writes it: on the import's list, if it names one. */
function onImportList(object: ProtectedObjectInput, job: PrepareJob): ProtectedObjectInput {
  if (!job.list) return object;
  return {
    ...object,
    lists: [{ list: job.list, ...(job.restriction ? { restriction: job.restriction } : {}) }],
  };
}

/** A reader's results one array at a time, for {@link prepareBatches}: an array per result. */
export async function* oneByOne(
  results: AsyncIterable<ImportResult>,
): AsyncGenerator<ImportResult[], void, undefined> {
  for await (const result of results) yield [result];
}

/**
 * Reads a reader's results, given an array at a time (`ImportFile.batches`, or
 * {@link oneByOne}), into prepared batches of {@link PREPARED_BATCH} items, in this thread. The
 * import worker runs the same function on the file's bytes.
 *
 * @example
 * for await (const batch of prepareBatches(oneByOne(readNdjson(stream)), { at, by: actor.id })) …
 */
export async function* prepareBatches(
  results: AsyncIterable<readonly ImportResult[]>,
  job: PrepareJob,
  size = PREPARED_BATCH,
): AsyncGenerator<PreparedBatch, void, undefined> {
  let read = 0;
  let errors: ImportError[] = [];
  let rows: unknown[][] = [];
  let places: number[] = [];
  for await (const some of results)
    for (const result of some) {
      read += 1;
      if (result.kind === 'error') {
        errors.push(result);
      } else {
        const object = toProtectedObject(onImportList(result.object, job), {
          id: '',
          version: 1,
          at: job.at,
          by: job.by,
        });
        rows.push(objectRowValues(object));
        places.push(result.index, result.line ?? -1);
      }
      if (read === size) {
        yield { read, errors, rows: { rows }, places };
        read = 0;
        errors = [];
        rows = [];
        places = [];
      }
    }
  if (read > 0) yield { read, errors, rows: { rows }, places };
}

// ---------------------------------------------------------------------------------------------
// The worker thread

/** What the import worker is started with. */
export interface WorkerJob extends PrepareJob {
  readonly format: ImportFormat;
  readonly options: ReaderOptions;
}

/** Messages to the import worker. */
export type ToWorker =
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array }
  | { readonly kind: 'end' }
  | { readonly kind: 'input-failed' }
  | { readonly kind: 'ack' };

/** Messages from the import worker. */
export type FromWorker =
  | { readonly kind: 'consumed' }
  | { readonly kind: 'batch'; readonly batch: PreparedBatch }
  | { readonly kind: 'done' }
  | { readonly kind: 'failure'; readonly message: string; readonly stack?: string };

/**
 * The import worker's young generation, in MB (more than V8's default). The worker makes
 * several short-lived objects per item and holds a batch of 2,000 at a time: with more room
 * fewer of them outlive a minor collection and get copied to the old generation. Measured over
 * a million objects: 25.7 against 27.2 µs of CPU per object for the whole import, and a lower
 * peak (632 against 743 MB).
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/** Input chunks sent to the worker and not yet read by it, at most. */
export const CHUNKS_AHEAD = 8;
/** Batches the worker prepares ahead of the writer, at most. */
export const BATCHES_AHEAD = 4;

const WORKER_JS = new URL('./import.worker.js', import.meta.url);
const WORKER_TS = new URL('./import.worker.ts', import.meta.url);

/**
 * How to start the import worker: the compiled file, or in development (sources run through
 * tsx, as in tests and benchmarks) a bootstrap that registers tsx's loader in the worker and
 * then imports the TypeScript file; undefined when neither can be done.
 */
function workerEntry(): { code: URL | string; eval: boolean } | undefined {
  if (existsSync(fileURLToPath(WORKER_JS))) return { code: WORKER_JS, eval: false };
  if (!existsSync(fileURLToPath(WORKER_TS))) return undefined;
  let tsx: string;
  try {
    // tsx's ES module API (its CommonJS one cannot register from a worker).
    const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
    tsx = pathToFileURL(join(dirname(manifest), 'dist/esm/api/index.mjs')).href;
  } catch {
    return undefined;
  }
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_TS.href)}); });`;
  return { code, eval: true };
}

/** Whether imports can run their reading in a worker thread here. */
export function canPrepareInWorker(): boolean {
  return workerEntry() !== undefined;
}

/** A queue of messages with one waiting reader. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiting: ((item: T) => void) | undefined;

  push(item: T): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(item);
    } else {
      this.items.push(item);
    }
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

/**
 * Prepares a file's batches in a worker thread: this thread only passes the file's bytes on
 * (at most {@link CHUNKS_AHEAD} chunks ahead of the worker) and receives the batches (the
 * worker stays at most {@link BATCHES_AHEAD} ahead), so reading, checking and row building
 * run on the second core while this thread writes. The batches are those
 * {@link prepareBatches} gives in this thread. A failure of the input stream is rethrown as it
 * was; the worker ends when the batches are read or the caller stops early.
 *
 * @example
 * for await (const batch of prepareInWorker(new ImportFile('ndjson', stream), job)) …
 */
export async function* prepareInWorker(
  file: ImportFile,
  job: PrepareJob,
): AsyncGenerator<PreparedBatch, void, undefined> {
  const entry = workerEntry();
  if (entry === undefined) throw new Error('The import worker is not built: run npm run build.');
  const workerJob: WorkerJob = { ...job, format: file.format, options: file.options };
  const worker = new Worker(entry.code, {
    workerData: workerJob,
    eval: entry.eval,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const send = (message: ToWorker) => worker.postMessage(message);
  const inbox = new Inbox<FromWorker | { kind: 'exit'; code: number }>();
  const consumed = new Inbox<true>();
  worker.on('message', (message: FromWorker) => {
    if (message.kind === 'consumed') consumed.push(true);
    else inbox.push(message);
  });
  worker.on('error', (error) =>
    inbox.push({
      kind: 'failure',
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
    }),
  );
  worker.on('exit', (code) => inbox.push({ kind: 'exit', code }));

  let inputError: { error: unknown } | undefined;
  let stopped = false;
  const pump = async () => {
    let ahead = 0;
    try {
      for await (const chunk of file.input as AsyncIterable<Buffer | string>) {
        if (stopped) return;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        send({ kind: 'chunk', bytes });
        ahead += 1;
        while (ahead >= CHUNKS_AHEAD && !stopped) {
          await consumed.next();
          ahead -= 1;
        }
      }
      send({ kind: 'end' });
    } catch (error) {
      inputError = { error };
      send({ kind: 'input-failed' });
    }
  };
  const pumping = pump();
  try {
    for (;;) {
      const message = await inbox.next();
      if (message.kind === 'batch') {
        yield message.batch;
        send({ kind: 'ack' });
      } else if (message.kind === 'done') {
        return;
      } else if (message.kind === 'failure') {
        if (inputError) throw inputError.error;
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        throw error;
      } else if (message.kind === 'exit') {
        if (inputError) throw inputError.error;
        throw new Error(`the import worker stopped (exit code ${message.code})`);
      }
    }
  } finally {
    stopped = true;
    consumed.push(true);
    await worker.terminate();
    if (!file.input.readableEnded) file.input.destroy();
    await pumping;
  }
}
