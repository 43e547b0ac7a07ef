/**
 * Starting the screening worker before anything else loads.
 *
 * A worker thread takes about as long to boot as the main thread takes to load the screening
 * code, read the actions and index them. Started by `bin/civitas.js` as the very first thing a
 * `civitas screen` process does, the worker boots meanwhile and is parsing the objects file by
 * the time the main thread has its index: the two startups overlap instead of following each
 * other. This module therefore imports only Node built-ins, and guesses from the raw arguments
 * alone; `screenFiles` later takes the worker only if its job is exactly the one it was asked for
 * (same objects file, size and block size), and stops it otherwise.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What a thread needs to scan its share of an objects file (see object-scan.ts). */
export interface ScanJob {
  readonly path: string;
  readonly size: number;
  readonly blockSize: number;
  /**
   * Int32Array over a SharedArrayBuffer: [0] next block to claim, [1] 1 once any error is seen,
   * [2] 1 once the action index has been sent to the worker (2: the run was abandoned).
   */
  readonly control: Int32Array;
  /** Float64Array over a SharedArrayBuffer: bytes scanned, one slot per thread. */
  readonly progress: Float64Array;
  readonly slot: number;
}

/** Bytes of the objects file a thread claims at a time, unless told otherwise. */
export const DEFAULT_BLOCK_SIZE = 1 << 20;

const WORKER_URL = new URL('./screen.worker.js', import.meta.url);

/** The worker's module, for `new Worker`. */
export function screenWorkerUrl(): URL {
  return WORKER_URL;
}

/** A worker started early, with the job it is already working on. */
export interface PrestartedWorker {
  readonly worker: Worker;
  readonly job: ScanJob;
  /** Set if the worker failed or stopped before it was taken. */
  stopped: boolean;
}

/**
 * Where the early worker waits to be taken: on the global object, because bin/civitas.js loads
 * this module on its own and the screen bundle (dist/screen) carries a copy of it.
 */
const SLOT = Symbol.for('civitas.screen.prestartedWorker');
const holder = globalThis as { [SLOT]?: PrestartedWorker };

/**
 * A fresh job over `path` (shared counters, nothing claimed yet).
 *
 * @example
 * const job = newScanJob('objects.ndjson', statSync('objects.ndjson').size, 1 << 20);
 */
export function newScanJob(path: string, size: number, blockSize: number): ScanJob {
  return {
    path,
    size,
    blockSize,
    control: new Int32Array(new SharedArrayBuffer(12)),
    progress: new Float64Array(new SharedArrayBuffer(16)),
    slot: 0,
  };
}

/**
 * Starts a worker on the job that the options will ask for: the worker receives the job as its
 * workerData and starts reading at once. The worker handles its own two-thread split (slot 1).
 *
 * @example
 * const started = startScreenWorker(newScanJob(path, size, blockSize));
 */
export function startScreenWorker(job: ScanJob): Worker {
  return new Worker(WORKER_URL, { workerData: { job: { ...job, slot: 1 } } });
}

/** True when a file screening of this size should read the objects file on two threads. */
export function wantsWorker(
  format: 'ndjson' | 'geojson',
  size: number,
  blockSize: number,
  threads: number,
): boolean {
  return format === 'ndjson' && threads > 1 && size > blockSize;
}

function option(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === name) return argv[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Called by `bin/civitas.js` with the process arguments of a `civitas screen` run: starts the
 * worker when they name an NDJSON objects file large enough to share. Does nothing (and never
 * throws) for anything else; `screenFiles` validates the arguments properly.
 *
 * @example
 * prestartScreenWorker(process.argv);
 */
export function prestartScreenWorker(argv: readonly string[]): void {
  try {
    if (holder[SLOT] || option(argv, '--release') !== undefined) return;
    const path = option(argv, '--objects');
    if (path === undefined || !path.toLowerCase().endsWith('.ndjson')) return;
    const threadsText = option(argv, '--threads');
    const threads = threadsText === undefined ? availableParallelism() : Number(threadsText);
    const blockText = option(argv, '--block-size');
    const blockSize = blockText === undefined ? DEFAULT_BLOCK_SIZE : Number(blockText);
    if (!Number.isInteger(threads) || !Number.isInteger(blockSize) || blockSize < 1024) return;
    const size = statSync(path).size;
    if (!wantsWorker('ndjson', size, blockSize, threads)) return;
    const job = newScanJob(path, size, blockSize);
    const worker = startScreenWorker(job);
    // A run that ends before taking the worker (bad arguments, --help) must not wait for it.
    worker.unref();
    const early: PrestartedWorker = { worker, job, stopped: false };
    worker.on('error', () => (early.stopped = true));
    worker.on('exit', () => (early.stopped = true));
    holder[SLOT] = early;
  } catch {
    // Whatever went wrong is screenFiles' to report, with its proper message.
  }
}

/**
 * The early worker, if it works on exactly this job and is still running (then it is handed
 * over, once); otherwise it is stopped and the caller starts afresh with a new job.
 *
 * @example
 * const early = takePrestartedWorker('objects.ndjson', size, 1 << 20);
 */
export function takePrestartedWorker(
  path: string,
  size: number,
  blockSize: number,
): PrestartedWorker | undefined {
  const early = holder[SLOT];
  holder[SLOT] = undefined;
  if (!early) return undefined;
  const { job } = early;
  if (!early.stopped && job.path === path && job.size === size && job.blockSize === blockSize) {
    // The caller attaches its own listeners in the same tick: no event is missed.
    early.worker.removeAllListeners('error');
    early.worker.removeAllListeners('exit');
    early.worker.ref();
    return early;
  }
  Atomics.store(job.control, 2, 2);
  Atomics.notify(job.control, 2);
  void early.worker.terminate();
  return undefined;
}
