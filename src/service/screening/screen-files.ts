/**
 * `civitas screen` on files: objects and actions in, one result line per action out.
 *
 * 1. The actions are read and indexed (ActionIndex: a grid of their effect circles).
 * 2. The objects file is read once, in blocks claimed from a shared counter by the main thread
 *    and a worker thread, each probing every object against the index as it is read
 *    (object-scan.ts); only hashes of ids, hit pairs and the ids of hit objects are kept.
 * 3. Any bad line stops the pass; the earliest one is reported with file, line and field.
 *    Repeated ids are found from the hashes (duplicate-ids.ts).
 * 4. Result lines are written to a temporary file next to the output, which is renamed over the
 *    output only when everything succeeded: a failed run leaves no partial result.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { ActionIndex, HitBuffer } from '../../analysis/screening/action-index.js';
import { objectRecordProblem } from '../../analysis/screening/input.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { checkDuplicateIds, idHashTransferList } from './duplicate-ids.js';
import { readFeatures } from './geojson-features.js';
import {
  BlockScanner,
  ObjectCollector,
  type CollectorResult,
  type ScanError,
  type ScanJob,
} from './object-scan.js';
import { populationForActions } from './population-raster.js';
import { SCANNED, RecordScanner } from './record-scanner.js';
import {
  formatResult,
  orderIds,
  prepareResult,
  segmentsByHits,
  writeChunk,
  writeResultLines,
  type HitSource,
} from './result-writer.js';
import {
  featureRecord,
  lineAt,
  readActions,
  recordError,
  screeningFormatOf,
  type ActionsInput,
} from './screening-input.js';
import {
  DEFAULT_BLOCK_SIZE,
  newScanJob,
  screenWorkerUrl,
  startScreenWorker,
  takePrestartedWorker,
  wantsWorker,
} from './screen-prestart.js';
import type { WorkerReply, WorkerRequest } from './screen.worker.js';

/** What to screen and where to write. */
export interface ScreenFilesOptions {
  readonly objects: string;
  readonly actions: string;
  readonly out: string;
  /** A GeoTIFF population raster in a geographic CRS: adds `population.best` per action. */
  readonly population?: string;
  /** Threads reading objects (NDJSON only); default: the machine's cores. */
  readonly threads?: number;
  /** Bytes per block claimed by a thread; default 1 MiB. */
  readonly blockSize?: number;
  /** From this many hits on, both threads format the result; default 2,000,000. */
  readonly parallelFormatHits?: number;
  /** Called between blocks and phases. */
  readonly onProgress?: (event: { phase: string; done: number; total: number }) => void;
}

/** What a screening run did, for the caller to report. */
export interface ScreenFilesSummary {
  readonly actions: number;
  readonly objects: number;
  readonly hits: number;
  /** Objects whose buffer exceeded the first index's and were screened in a second pass. */
  readonly deferred: number;
  readonly threads: number;
  /** True when the worker was started at launch (screen-prestart.ts) and taken over. */
  readonly earlyWorker: boolean;
  /** Objects read by each thread. */
  readonly perThread: readonly number[];
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<string, number>>;
  /** CPU milliseconds per phase, all threads of the process. */
  readonly cpu: Readonly<Record<string, number>>;
}

/** Buffers up to this are covered by the first pass's index (unless a sample shows larger). */
const DEFAULT_MAX_BUFFER_M = 500;
const SAMPLE_BYTES = 1 << 16;
/**
 * From this many hits on, both threads format the result (in FORMAT_SEGMENTS alternating
 * segments); below it, sharing was measured to gain nothing.
 */
const PARALLEL_FORMAT_HITS = 2_000_000;
const FORMAT_SEGMENTS = 32;

/**
 * Screens the objects file against the actions file and writes the result; see the module
 * comment. Throws a CivitasError (`validation_failed`) naming file, line and field for bad input.
 *
 * @example
 * await screenFiles({ objects: 'objects.ndjson', actions: 'plan.ndjson', out: 'result.ndjson' });
 */
export async function screenFiles(options: ScreenFilesOptions): Promise<ScreenFilesSummary> {
  const timings: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  let mark = performance.now();
  let cpuMark = process.cpuUsage();
  const lap = (phase: string): void => {
    const now = performance.now();
    const used = process.cpuUsage(cpuMark);
    timings[phase] = (timings[phase] ?? 0) + (now - mark);
    cpu[phase] = (cpu[phase] ?? 0) + (used.user + used.system) / 1000;
    mark = now;
    cpuMark = process.cpuUsage();
  };
  const objectsFormat = screeningFormatOf(options.objects);
  screeningFormatOf(options.actions);
  for (const path of [options.objects, options.actions, options.population]) {
    if (path !== undefined && !existsSync(path)) {
      throw new CivitasError('validation_failed', `${path}: no such file`);
    }
  }
  const size = statSync(options.objects).size;
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const wanted = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const useWorker =
    wantsWorker(objectsFormat, size, blockSize, wanted) &&
    existsSync(fileURLToPath(screenWorkerUrl()));
  // A worker bin/civitas.js started early on this very job is already reading; otherwise start
  // one now: it boots and parses ahead while this thread reads and indexes the actions.
  const early = useWorker ? takePrestartedWorker(options.objects, size, blockSize) : undefined;
  const job: ScanJob = early?.job ?? newScanJob(options.objects, size, blockSize);
  const worker = early
    ? new WorkerChannel(early.worker)
    : useWorker
      ? new WorkerChannel(startScreenWorker(job))
      : undefined;
  try {
    const actions = readActions(options.actions);
    lap('read actions');
    const populationPromise = options.population
      ? populationForActions(options.population, actions)
      : undefined;
    populationPromise?.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile

    const maxBuffer =
      objectsFormat === 'ndjson'
        ? Math.max(DEFAULT_MAX_BUFFER_M, sampleMaxBuffer(options.objects))
        : DEFAULT_MAX_BUFFER_M;
    const index = ActionIndex.build(actions, { maxBufferM: maxBuffer });
    lap('index actions');

    let results: CollectorResult[];
    let orders: Int32Array[] | undefined;
    let duplicates: Promise<void> | undefined;
    if (objectsFormat === 'ndjson') {
      const scanned = await scanNdjson(options, job, index, worker);
      results = scanned.results;
      orders = scanned.orders;
      lap('read and probe objects');
      const failure = earliestError(results);
      if (failure) {
        throw recordError(
          options.objects,
          lineAt(options.objects, failure.offset),
          failure.field,
          failure.message,
        );
      }
      const parts = results.map((r) => r.ids);
      if (worker) {
        // The worker looks for repeated ids while this thread writes the result.
        const reply = worker.next('duplicates');
        worker.post(
          { kind: 'duplicates', path: options.objects, parts },
          parts.flatMap(idHashTransferList),
        );
        duplicates = reply.then(({ error }) => {
          if (error) throw new CivitasError(error.code, error.message, error.problems);
        });
        duplicates.catch(() => undefined); // awaited before the result is committed
      } else {
        checkDuplicateIds(options.objects, parts);
      }
      lap('duplicate ids');
    } else {
      results = [scanGeoJson(options.objects, index)];
      lap('read and probe objects');
    }

    const { sources, deferred } = screenDeferred(actions, results);
    lap('wide buffers');
    const population = populationPromise ? await populationPromise : undefined;
    lap('population');

    const hits = await writeAtomically(
      options.out,
      async (fd) => {
        if (!worker || !orders)
          return writeResultLines(fd, actions.ids, sources, population, orders).hits;
        const prepared = prepareResult(actions.ids.length, sources, orders);
        const total = prepared.ranks.length;
        const write = (chunk: Uint8Array): void => writeChunk(fd, chunk);
        if (total < (options.parallelFormatHits ?? PARALLEL_FORMAT_HITS)) {
          formatResult(prepared, actions.ids, population, 0, actions.ids.length, write);
          return total;
        }
        // Both threads format, alternate segments; this thread writes them all, in order.
        const bounds = segmentsByHits(prepared, FORMAT_SEGMENTS);
        const written = new Int32Array(new SharedArrayBuffer(4));
        written[0] = -1;
        worker.post({
          kind: 'format',
          prepared,
          actionIds: actions.ids,
          population,
          bounds,
          written,
        });
        for (let segment = 0; segment < FORMAT_SEGMENTS; segment += 1) {
          if (segment % 2 === 0) {
            formatResult(
              prepared,
              actions.ids,
              population,
              bounds[segment] as number,
              bounds[segment + 1] as number,
              write,
            );
          } else {
            for (const chunk of (await worker.next('formatted')).chunks) write(chunk);
          }
          Atomics.store(written, 0, segment);
          Atomics.notify(written, 0);
        }
        return total;
      },
      duplicates,
    );
    lap('write result');
    return {
      actions: actions.ids.length,
      objects: results.reduce((n, r) => n + r.count, 0),
      hits,
      deferred,
      threads: worker ? 2 : 1,
      earlyWorker: early !== undefined,
      perThread: results.map((r) => r.count),
      timings,
      cpu,
    };
  } finally {
    Atomics.store(job.control, 2, 2); // a worker still waiting for the index gives up
    Atomics.notify(job.control, 2);
    worker?.close();
  }
}

/** The largest buffer_m among the records in the first 64 KiB (0 if none parse). */
function sampleMaxBuffer(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    const scanner = new RecordScanner('buffer_m');
    let max = 0;
    let start = 0;
    while (start < n) {
      const status = scanner.scanLine(buf, start, n);
      const buffer = scanner.numbers[2] as number;
      if (status === SCANNED && (scanner.seen & 8) !== 0 && buffer > max && buffer < Infinity) {
        max = buffer;
      }
      start = scanner.lineEnd + 1;
    }
    return max;
  } finally {
    closeSync(fd);
  }
}

/** Messages to and from the worker; replies nobody waits for yet are kept until asked for. */
class WorkerChannel {
  private waiting: {
    kind: string;
    resolve: (m: WorkerReply) => void;
    reject: (e: Error) => void;
  }[] = [];
  private readonly inbox: WorkerReply[] = [];
  private failed: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'failure')
        return this.fail(new Error(`screening worker: ${reply.message}`));
      const at = this.waiting.findIndex((w) => w.kind === reply.kind);
      if (at >= 0) this.waiting.splice(at, 1)[0]?.resolve(reply);
      else this.inbox.push(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) =>
      this.fail(new Error(`screening worker stopped (exit code ${code})`)),
    );
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  post(request: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /** The next reply of this kind. */
  next<K extends WorkerReply['kind']>(kind: K): Promise<Extract<WorkerReply, { kind: K }>> {
    const kept = this.inbox.findIndex((r) => r.kind === kind);
    if (kept >= 0) {
      return Promise.resolve(this.inbox.splice(kept, 1)[0] as Extract<WorkerReply, { kind: K }>);
    }
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) =>
      this.waiting.push({ kind, resolve: resolve as (m: WorkerReply) => void, reject }),
    );
  }

  close(): void {
    this.worker.removeAllListeners('exit');
    void this.worker.terminate();
  }
}

async function scanNdjson(
  options: ScreenFilesOptions,
  job: ScanJob,
  index: ActionIndex,
  worker: WorkerChannel | undefined,
): Promise<{ results: CollectorResult[]; orders: Int32Array[] | undefined }> {
  const size = job.size;
  const report = (): void =>
    options.onProgress?.({
      phase: 'objects',
      done: Math.min(size, (job.progress[0] as number) + (job.progress[1] as number)),
      total: size,
    });
  const fromWorker = worker?.next('result');
  if (worker) {
    worker.post({ kind: 'index', parts: index.parts() });
    Atomics.store(job.control, 2, 1);
    Atomics.notify(job.control, 2);
  }
  const collector = new ObjectCollector(index);
  const fd = openSync(options.objects, 'r');
  try {
    const scanner = new BlockScanner(fd, job);
    for (let block = scanner.parseNext(); block; block = scanner.parseNext()) {
      scanner.probe(block, collector);
      report();
      // Let timers (a progress bar) run between blocks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    collector.error = scanner.error;
  } finally {
    closeSync(fd);
  }
  const results = [collector.result()];
  let orders: Int32Array[] | undefined;
  if (fromWorker) {
    // Order this thread's ids while the worker finishes and orders its own.
    const own = orderIds(results[0] as CollectorResult);
    const timer = setInterval(report, 250);
    try {
      const reply = await fromWorker;
      results.push(reply.result);
      orders = [own, reply.order];
    } finally {
      clearInterval(timer);
    }
  }
  report();
  return { results, orders };
}

function earliestError(results: readonly CollectorResult[]): ScanError | undefined {
  let best: ScanError | undefined;
  for (const r of results) if (r.error && (!best || r.error.offset < best.offset)) best = r.error;
  return best;
}

/** GeoJSON objects: one thread, a feature at a time; repeated ids found with a map. */
function scanGeoJson(path: string, index: ActionIndex): CollectorResult {
  const collector = new ObjectCollector(
    // GeoJSON is read in one pass without sampling: the index takes any buffer, deferring none.
    index,
  );
  const lines = new Map<string, number>();
  readFeatures(path, ({ feature, line }) => {
    const r = featureRecord(feature);
    if ('problem' in r) throw recordError(path, line, r.problem.field, r.problem.message);
    const problem = objectRecordProblem(r.record);
    if (problem) {
      const field =
        problem.field === 'id' || problem.field === 'buffer_m'
          ? `properties.${problem.field}`
          : problem.field;
      throw recordError(path, line, field, problem.message);
    }
    const id = r.record.id as string;
    const first = lines.get(id);
    if (first !== undefined) {
      throw recordError(
        path,
        line,
        'properties.id',
        `duplicate id ${JSON.stringify(id)} (first on line ${first})`,
      );
    }
    lines.set(id, line);
    collector.addString(
      r.record.lon as number,
      r.record.lat as number,
      r.record.buffer_m as number,
      id,
      line,
    );
  });
  return collector.result();
}

/**
 * Screens the objects set aside for a buffer larger than the first index allowed, with an index
 * widened by the largest such buffer, and returns every thread's hits ready to write.
 */
function screenDeferred(
  actions: ActionsInput,
  results: readonly CollectorResult[],
): { sources: HitSource[]; deferred: number } {
  let deferred = 0;
  let widest = 0;
  for (const r of results) {
    deferred += r.deferRef.length;
    for (const b of r.deferBuffer) if (b > widest) widest = b;
  }
  if (deferred === 0) return { sources: [...results], deferred };
  const wide = ActionIndex.build(actions, { maxBufferM: widest });
  const hits = new HitBuffer();
  const sources = results.map((r): HitSource => {
    if (r.deferRef.length === 0) return r;
    const extraAction: number[] = [];
    const extraRef: number[] = [];
    for (let i = 0; i < r.deferRef.length; i += 1) {
      hits.clear();
      wide.probe(
        r.deferLon[i] as number,
        r.deferLat[i] as number,
        r.deferBuffer[i] as number,
        hits,
      );
      for (let k = 0; k < hits.count; k += 1) {
        extraAction.push(hits.actions[k] as number);
        extraRef.push(r.deferRef[i] as number);
      }
    }
    const hitAction = new Int32Array(r.hitAction.length + extraAction.length);
    hitAction.set(r.hitAction);
    hitAction.set(extraAction, r.hitAction.length);
    const hitRef = new Int32Array(r.hitRef.length + extraRef.length);
    hitRef.set(r.hitRef);
    hitRef.set(extraRef, r.hitRef.length);
    return { ...r, hitAction, hitRef };
  });
  return { sources, deferred };
}

/**
 * Writes through a temporary file in the output's directory, renamed over `out` once `write`
 * succeeded, removed otherwise.
 */
async function writeAtomically<T>(
  out: string,
  write: (fd: number) => T | Promise<T>,
  beforeCommit?: Promise<void>,
): Promise<T> {
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (error) {
    throw new CivitasError(
      'validation_failed',
      `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let open = true;
  try {
    const value = await write(fd);
    closeSync(fd);
    open = false;
    // A check still running (repeated ids, on the worker) must pass before the result counts.
    await beforeCommit;
    renameSync(temp, out);
    return value;
  } catch (error) {
    if (open) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created or already gone
    }
    throw error;
  }
}
