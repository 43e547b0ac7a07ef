import type { Readable } from 'node:stream';
import { canSee } from '../../domain/access/viewer.js';
import type {
  ListKind,
  ProtectedObjectInput,
} from '../../domain/protected-object/protected-object.js';
import type { ProtectedObject } from '../../domain/protected-object/register.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import type { Marking } from '../../domain/taxonomy/index.js';
import type { ObjectBulkWriter, Store } from '../../store/ports.js';
import { authorize, viewerOf } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { readCsv, type CsvReaderOptions } from '../import/csv.reader.js';
import { readGeoJson } from '../import/geojson.reader.js';
import type { ImportError, ImportOptions, ImportResult } from '../import/import-result.js';
import { readKml } from '../import/kml.reader.js';
import { readNdjson } from '../import/ndjson.reader.js';
import { readOsmPbf, readOsmXml } from '../import/osm.reader.js';
import { toProtectedObject } from './object.service.js';

/** The file formats the register imports. */
export const IMPORT_FORMATS = ['geojson', 'ndjson', 'csv', 'kml', 'osm', 'osm-pbf'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Guesses the format from a file name; undefined when it cannot tell. */
export function formatOfFile(name: string): ImportFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.osm.pbf') || lower.endsWith('.pbf')) return 'osm-pbf';
  if (lower.endsWith('.osm')) return 'osm';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.kml')) return 'kml';
  return undefined;
}

/** The reader for a format. */
export function readerFor(
  format: ImportFormat,
  input: Readable,
  options: ImportOptions & Pick<CsvReaderOptions, 'columns'>,
): AsyncGenerator<ImportResult, void, undefined> {
  switch (format) {
    case 'geojson':
      return readGeoJson(input, options);
    case 'ndjson':
      return readNdjson(input, options);
    case 'csv':
      return readCsv(input, options);
    case 'kml':
      return readKml(input, options);
    case 'osm':
      return readOsmXml(input, options);
    case 'osm-pbf':
      return readOsmPbf(input, options);
  }
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
}

class RollBack extends Error {}

const BATCH = 2000;
const KEPT_ERRORS = 1000;

/** Where one import writes: its transaction, its bulk writer, and what it knows of sources. */
interface ImportSink {
  readonly tx: Store;
  readonly writer: ObjectBulkWriter;
  /** Per source: true when the register held none of its objects as the import began. */
  readonly newSources: Map<string, boolean>;
}

async function flush(
  sink: ImportSink,
  batch: readonly ProtectedObjectInput[],
  actor: Actor,
  at: string,
  newId: () => string,
) {
  const bySource = new Map<string, ProtectedObjectInput[]>();
  for (const o of batch) {
    const group = bySource.get(o.source);
    if (group) group.push(o);
    else bySource.set(o.source, [o]);
  }
  let inserted = 0;
  let updated = 0;
  for (const [source, objects] of bySource) {
    // A source new to the register has only this file's objects, and readers reject an id seen
    // twice in a file (withUniqueSourceIds): nothing to look up. A duplicate from any other
    // iterable fails on the (source, source_ref) constraint, and nothing is written.
    let isNew = sink.newSources.get(source);
    if (isNew === undefined) {
      isNew = !(await sink.tx.objects.hasSource(source));
      sink.newSources.set(source, isNew);
    }
    const existing = isNew
      ? undefined
      : await sink.tx.objects.findBySource(
          source,
          objects.map((o) => o.sourceRef),
        );
    const fresh: ProtectedObject[] = [];
    const changed: ProtectedObject[] = [];
    for (const input of objects) {
      const found = existing?.get(input.sourceRef);
      if (found) {
        changed.push(
          toProtectedObject(input, { id: found.id, version: found.version + 1, at, by: actor.id }),
        );
      } else {
        fresh.push(toProtectedObject(input, { id: newId(), version: 1, at, by: actor.id }));
      }
    }
    await sink.writer.update(changed);
    await sink.writer.insert(fresh);
    inserted += fresh.length;
    updated += changed.length;
  }
  return { inserted, updated };
}

/**
 * Imports protected objects from a reader's results in ONE transaction, streaming in batches so
 * memory stays bounded. Re-importing updates objects by (source, source reference) instead of
 * duplicating them. If any item is bad, every bad item is reported and nothing is written; a dry
 * run reports what would happen and writes nothing either. The import is one audited write.
 *
 * @example
 * const report = await importObjects(deps, actor, readNdjson(stream), { list: 'NSL' });
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
  const visible = (marking: Marking): boolean => {
    const key = `${marking.classification}|${marking.releasability.join(',')}`;
    let answer = visibleByMarking.get(key);
    if (answer === undefined) {
      answer = canSee(viewer, marking, null);
      visibleByMarking.set(key, answer);
    }
    return answer;
  };
  const at = deps.now();
  const errors: ImportError[] = [];
  let errorCount = 0;
  let read = 0;
  let inserted = 0;
  let updated = 0;
  const write = async (sink: ImportSink) => {
    let batch: ProtectedObjectInput[] = [];
    for await (const result of results) {
      read += 1;
      if (read % 1000 === 0) options.onProgress?.(read);
      if (result.kind === 'error') {
        errorCount += 1;
        if (errors.length < KEPT_ERRORS) errors.push(result);
        continue;
      }
      if (!visible(result.object.marking)) {
        errorCount += 1;
        if (errors.length < KEPT_ERRORS) {
          errors.push({
            kind: 'error',
            index: result.index,
            ...(result.line !== undefined ? { line: result.line } : {}),
            field: 'marking',
            message: 'above your clearance or outside your releasability',
          });
        }
        continue;
      }
      if (errorCount > 0) continue; // keep reading to report every bad item, but write no more
      const object: ProtectedObjectInput = options.list
        ? {
            ...result.object,
            lists: [
              {
                list: options.list,
                ...(options.restriction ? { restriction: options.restriction } : {}),
              },
            ],
          }
        : result.object;
      batch.push(object);
      if (batch.length >= BATCH) {
        const n = await flush(sink, batch, actor!, at, deps.newId);
        inserted += n.inserted;
        updated += n.updated;
        batch = [];
      }
    }
    if (errorCount === 0 && batch.length > 0) {
      const n = await flush(sink, batch, actor!, at, deps.newId);
      inserted += n.inserted;
      updated += n.updated;
    }
  };
  const run = async (tx: Store) => {
    await tx.objects.bulkWrite((writer) => write({ tx, writer, newSources: new Map() }));
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
