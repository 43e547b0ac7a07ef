import type { Readable } from 'node:stream';
import { canSee } from '../../domain/access/viewer.js';
import type { ListKind } from '../../domain/protected-object/protected-object.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { Marking } from '../../domain/taxonomy/index.js';
import { decodeReleasability } from '../../store/marking-sql.js';
import { OBJECT_ROW_AT, objectRowOf } from '../../store/object-row.js';
import type { ObjectBulkWriter, ObjectRow, ObjectRowBatch, Store } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';
import type { ImportError, ImportResult } from '../import/import-result.js';
import { ImportFile, type ImportFormat, type ReaderOptions } from '../import/readers.js';
import {
  canPrepareInWorker,
  oneByOne,
  prepareBatches,
  prepareInWorker,
  type PreparedBatch,
} from './import-batches.js';

export { IMPORT_FORMATS, formatOfFile, type ImportFormat } from '../import/readers.js';

/**
 * The reader for a format: an {@link ImportFile}, which `importObjects` may read in a worker
 * thread (`parallel`), or anything can iterate in this thread.
 */
export function readerFor(
  format: ImportFormat,
  input: Readable,
  options: ReaderOptions,
): ImportFile {
  return new ImportFile(format, input, options);
}

/** What an import did (or, with `dryRun` or errors, would have done: nothing was written then). */
export interface ImportReport {
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Every bad item, with its index, line and field (the first 1,000 are kept; `errorCount` counts all). */
  readonly errors: ImportError[];
  readonly errorCount: number;
  readonly written: boolean;
}

/** Options of one import. */
export interface ImportRunOptions {
  readonly dryRun?: boolean;
  /** Put every imported object on this list (RTL needs `restriction`). */
  readonly list?: ListKind;
  readonly restriction?: string;
  readonly label?: string;
  readonly onProgress?: (read: number) => void;
  /**
   * Read, check and prepare the file in a worker thread while this thread writes (an
   * {@link ImportFile} only, e.g. from {@link readerFor}; ignored when the worker is not
   * available). Worth it for large files only: the worker loads the readers and checks first
   * (1–1.7 s measured on the busy 2-core development machine, load average 12).
   */
  readonly parallel?: boolean;
}

/**
 * Files from this size on (some 30,000 objects, over a second of reading and checking) are worth
 * reading in a worker thread (`parallel`), whose start costs up to about a second.
 */
export const PARALLEL_IMPORT_BYTES = 4 * 1024 * 1024;

class RollBack extends Error {}

const KEPT_ERRORS = 1000;
const AT = OBJECT_ROW_AT;

/** Where one import writes: its transaction, its bulk writer, and what it knows of sources. */
interface ImportSink {
  readonly tx: Store;
  readonly writer: ObjectBulkWriter;
  /** Per source: true when the register held none of its objects as the import began. */
  readonly newSources: Map<string, boolean>;
  readonly newId: () => string;
}

/** Writes a batch's rows: inserts, or updates of the objects an earlier import brought. */
async function writeRows(sink: ImportSink, batch: ObjectRowBatch) {
  const { rows } = batch;
  // Per source in the batch (usually one): whether the register held any of its objects.
  const refsBySource = new Map<string, string[]>();
  for (const row of rows) {
    const source = row[AT.source] as string;
    let isNew = sink.newSources.get(source);
    if (isNew === undefined) {
      // A source new to the register has only this file's objects, and readers reject an id
      // seen twice in a file (withUniqueSourceIds): nothing to look up. A duplicate from any
      // other iterable fails on the (source, source_ref) constraint, and nothing is written.
      isNew = !(await sink.tx.objects.hasSource(source));
      sink.newSources.set(source, isNew);
    }
    if (!isNew) {
      const refs = refsBySource.get(source);
      if (refs) refs.push(row[AT.source_ref] as string);
      else refsBySource.set(source, [row[AT.source_ref] as string]);
    }
  }
  if (refsBySource.size === 0) {
    for (const row of rows) row[AT.id] = sink.newId();
    await sink.writer.insertRows(batch);
    return { inserted: rows.length, updated: 0 };
  }
  const existing = new Map<string, Map<string, { id: string; version: number }>>();
  for (const [source, refs] of refsBySource) {
    existing.set(source, await sink.tx.objects.findBySource(source, refs));
  }
  const fresh: unknown[][] = [];
  const changed: ObjectRow[] = [];
  for (const row of rows) {
    const found = existing.get(row[AT.source] as string)?.get(row[AT.source_ref] as string);
    if (found) {
      changed.push({ ...objectRowOf(row), id: found.id, version: found.version + 1 });
    } else {
      row[AT.id] = sink.newId();
      fresh.push(row);
    }
  }
  await sink.writer.updateRows(changed);
  await sink.writer.insertRows({ rows: fresh });
  return { inserted: fresh.length, updated: changed.length };
}

/**
 * Imports protected objects from a reader's results in ONE transaction, streaming in batches so
 * memory stays bounded. Re-importing updates objects by (source, source reference) instead of
 * duplicating them. If any item is bad, every bad item is reported and nothing is written; a dry
 * run reports what would happen and writes nothing either. The import is one audited write.
 * With `parallel` and an {@link ImportFile}, a worker thread reads and checks the file while
 * this thread writes.
 *
 * @example
 * const report = await importObjects(deps, actor, readNdjson(stream), { list: 'NSL' });
 * await importObjects(deps, actor, readerFor('ndjson', stream, {}), { parallel: true });
 */
export async function importObjects(
  deps: ServiceDeps,
  actor: Actor | undefined,
  results: AsyncIterable<ImportResult>,
  options: ImportRunOptions = {},
): Promise<ImportReport> {
  await authorize(deps, actor, 'protected_object', 'create');
  await authorize(deps, actor, 'protected_object', 'update');
  if (options.list === 'RTL' && !options.restriction) {
    throw new CivitasError(
      'validation_failed',
      'Importing onto the RTL needs the restriction text.',
      [{ path: 'restriction', message: 'required with list RTL' }],
    );
  }
  const viewer = viewerOf(actor!);
  // canSee per distinct marking, not per object: a file's objects share one or a few markings.
  const visibleByMarking = new Map<string, boolean>();
  const visible = (classification: string, releasability: string): boolean => {
    const key = `${classification}|${releasability}`;
    let answer = visibleByMarking.get(key);
    if (answer === undefined) {
      const marking = {
        classification,
        releasability: decodeReleasability(releasability),
      } as Marking;
      answer = canSee(viewer, marking, null);
      visibleByMarking.set(key, answer);
    }
    return answer;
  };
  const at = deps.now();
  const job = {
    at,
    by: actor!.id,
    ...(options.list ? { list: options.list } : {}),
    ...(options.restriction ? { restriction: options.restriction } : {}),
  };
  const batches =
    results instanceof ImportFile
      ? options.parallel && canPrepareInWorker()
        ? prepareInWorker(results, job)
        : prepareBatches(results.batches(), job)
      : prepareBatches(oneByOne(results), job);
  const errors: ImportError[] = [];
  let errorCount = 0;
  let read = 0;
  let inserted = 0;
  let updated = 0;
  /** Counts a batch's bad items, its own and those the actor may not import, in file order. */
  const check = (batch: PreparedBatch) => {
    const { rows } = batch.rows;
    let bad = batch.errors;
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i]!;
      if (visible(row[AT.classification] as string, row[AT.releasability] as string)) continue;
      const line = batch.places[2 * i + 1]!;
      if (bad === batch.errors) bad = [...batch.errors];
      bad.push({
        kind: 'error',
        index: batch.places[2 * i]!,
        ...(line >= 0 ? { line } : {}),
        field: 'marking',
        message: 'above your clearance or outside your releasability',
      });
    }
    if (bad !== batch.errors) bad.sort((a, b) => a.index - b.index);
    for (const error of bad) {
      errorCount += 1;
      if (errors.length < KEPT_ERRORS) errors.push(error);
    }
  };
  const write = async (sink: ImportSink) => {
    for await (const batch of batches) {
      read += batch.read;
      options.onProgress?.(read);
      check(batch);
      // Keep reading to report every bad item, but write no more.
      if (errorCount > 0 || batch.rows.rows.length === 0) continue;
      const n = await writeRows(sink, batch.rows);
      inserted += n.inserted;
      updated += n.updated;
    }
  };
  const run = async (tx: Store) => {
    await tx.objects.bulkWrite((writer) =>
      write({
        tx,
        writer,
        newSources: new Map(),
        newId: deps.newTimeOrderedId ?? deps.newId,
      }),
    );
    options.onProgress?.(read);
    if (errorCount > 0 || options.dryRun) throw new RollBack();
    await tx.audit.append(
      {
        actor: actor!.id,
        action: 'objects.import',
        recordType: 'protected_object',
        recordId: '*',
        detail: {
          file: options.label ?? 'upload',
          read,
          inserted,
          updated,
          list: options.list ?? null,
        },
      },
      at,
    );
  };
  let written = true;
  try {
    await deps.store.transaction(run);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    written = false;
  }
  return {
    read,
    inserted: errorCount > 0 ? 0 : inserted,
    updated: errorCount > 0 ? 0 : updated,
    errors,
    errorCount,
    written,
  };
}
