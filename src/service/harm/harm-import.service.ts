import type { HarmIncident, HarmReport } from '../../domain/harm/harm.js';
import { checkReport } from '../../domain/harm/harm-rules.js';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { formatMarking, type Marking } from '../../domain/taxonomy/index.js';
import { authorize } from '../access/access.js';
import { assertWritableMarking } from '../area/area.service.js';
import { recordDigest } from '../audit/digest.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { csvWithMarking } from '../export/csv.js';
import {
  readHarmFile,
  UCDP_SOURCE,
  type HarmFileEncoding,
  type HarmFileRow,
  type HarmImportFormat,
  type HarmRowProblem,
} from './harm-file.js';
import { incidentOf } from './harm.service.js';

/** Options of {@link importHarm}. */
export interface HarmImportOptions {
  readonly format: HarmImportFormat;
  /** Check everything, write nothing. */
  readonly dryRun?: boolean;
  /** Write the valid rows and return the bad ones as a rejects file, instead of writing nothing. */
  readonly skipInvalid?: boolean;
  /** The marking of every imported report; default NATO UNCLASSIFIED, public (UCDP is public). */
  readonly marking?: Marking;
  /** The dataset name for HXL files (re-import recognises rows by it and #meta+id). */
  readonly source?: string;
  /** The file name, for the audit trail and messages. */
  readonly label?: string;
}

/** What an import did (or, in a dry run, would do). */
export interface HarmImportResult {
  readonly encoding: HarmFileEncoding;
  readonly read: number;
  readonly inserted: number;
  readonly updated: number;
  /** Reports accepted with a recorded warning. */
  readonly warned: number;
  readonly problems: readonly HarmRowProblem[];
  readonly rejectedRows: number;
  /** The rejected rows as CSV (original cells plus line and problems), with --skip-invalid. */
  readonly rejectsCsv?: string;
}

/** Where in a UCDP file each checked report field comes from, for messages. */
const UCDP_FIELDS: Readonly<Record<string, string>> = {
  killed: 'deaths_civilians',
  'date.start': 'date_start',
  'date.end': 'date_end',
  receivedAt: 'date_end',
};

const PUBLIC_MARKING: Marking = { classification: 'NU', releasability: ['PUBLIC'] };

/**
 * Imports civilian harm events from a file (UCDP GED CSV or GeoJSON, or HXL-tagged CSV): each
 * row becomes a report with an incident of its own. Atomic by default: any bad row and nothing
 * is written, and `harm_import_invalid` lists every bad row with its line and field. With
 * `skipInvalid` the valid rows are written and the bad ones returned as a rejects CSV.
 * Re-importing recognises rows by dataset and source id and updates them in place, so importing
 * a file twice leaves the same records. One transaction, one audit event.
 *
 * @example
 * const result = await importHarm(deps, actor, readFileSync(file), { format: 'ucdp' });
 */
export async function importHarm(
  deps: ServiceDeps,
  actor: Actor | undefined,
  bytes: Buffer,
  options: HarmImportOptions,
): Promise<HarmImportResult> {
  await authorize(deps, actor, 'harm_report', 'create');
  await authorize(deps, actor, 'harm_report', 'update');
  const marking = options.marking ?? PUBLIC_MARKING;
  assertWritableMarking(actor!, marking);
  const sourceName = options.format === 'hxl' ? (options.source ?? 'hxl') : UCDP_SOURCE;
  const file = await readHarmFile(bytes, options.format, marking, sourceName);
  const label = options.label ?? 'file';
  if (file.fileProblems.length > 0) {
    throw new CivitasError(
      'harm_import_invalid',
      `${label} cannot be read: ${file.fileProblems.map((p) => `line ${p.line}: ${p.field}: ${p.message}`).join('; ')}`,
      file.fileProblems.map((p) => ({
        path: `line ${p.line} field ${p.field}`,
        message: p.message,
      })),
    );
  }

  const now = deps.now();
  const codes = [
    ...new Set(
      file.rows.flatMap((r) => (r.report?.location.adminCode ? [r.report.location.adminCode] : [])),
    ),
  ];
  const regions = await deps.store.areas.regionsByCode(codes);
  const seen = new Map<string, number>();
  const checked: { row: HarmFileRow; problems: HarmRowProblem[] }[] = file.rows.map((row) => {
    const problems = [...row.problems];
    if (row.report) {
      const ref = row.report.sourceRef ?? '';
      const first = seen.get(ref);
      if (first !== undefined) {
        problems.push({
          line: row.line,
          field: options.format === 'hxl' ? '#meta+id' : 'id',
          message: `id ${ref} appears again (first on line ${first})`,
        });
      } else seen.set(ref, row.line);
      for (const p of checkReport(row.report, now, regions).problems) {
        const field = options.format === 'hxl' ? p.path : (UCDP_FIELDS[p.path] ?? p.path);
        problems.push({ line: row.line, field, message: p.message });
      }
    }
    return { row, problems };
  });
  const bad = checked.filter((c) => c.problems.length > 0);
  const problems = bad.flatMap((c) => c.problems);
  if (bad.length > 0 && !options.skipInvalid) {
    throw new CivitasError(
      'harm_import_invalid',
      `${bad.length} bad row(s) in ${label}; nothing was written`,
      problems.map((p) => ({ path: `line ${p.line} field ${p.field}`, message: p.message })),
    );
  }
  const good = checked.filter((c) => c.problems.length === 0).map((c) => c.row);
  const by = actor!.id;
  const refs = good.map((r) => r.report!.sourceRef ?? '');
  const existing = await deps.store.harm.findBySource(sourceName, refs);

  const fresh: HarmReport[] = [];
  const changed: HarmReport[] = [];
  let warned = 0;
  for (const row of good) {
    const input = row.report!;
    const { warnings } = checkReport(input, now, regions);
    const allWarnings = [
      ...warnings,
      ...row.sourceWarnings.map((message) => ({
        code: 'source_estimates_inconsistent' as const,
        path: 'killed',
        message,
      })),
    ];
    if (allWarnings.length > 0) warned += 1;
    const known = existing.get(input.sourceRef ?? '');
    const report: HarmReport = {
      ...input,
      id: known?.id ?? deps.newId(),
      incidentId: known?.incidentId ?? deps.newId(),
      warnings: allWarnings,
      createdAt: now,
      createdBy: by,
      updatedAt: now,
      updatedBy: by,
    };
    (known ? changed : fresh).push(report);
  }

  const result: HarmImportResult = {
    encoding: file.encoding,
    read: file.rows.length,
    inserted: fresh.length,
    updated: changed.length,
    warned,
    problems,
    rejectedRows: bad.length,
    ...(options.skipInvalid && bad.length > 0
      ? {
          rejectsCsv: csvWithMarking(
            formatMarking(marking),
            [...file.header, 'civitas_line', 'civitas_problems'],
            bad.map((c) => [
              ...file.header.map((_, i) => c.row.cells[i] ?? ''),
              String(c.row.line),
              c.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
            ]),
          ),
        }
      : {}),
  };
  if (options.dryRun) return result;

  await deps.store.transaction(async (tx) => {
    const incidents: HarmIncident[] = fresh.map((r) => incidentOf(r.incidentId, [r], now, by));
    await tx.harm.insertIncidents(incidents);
    await tx.harm.insertReports(fresh);
    for (const report of changed) await tx.harm.updateReport(report);
    const touched = [...new Set(changed.map((r) => r.incidentId))];
    for (let i = 0; i < touched.length; i += 500) {
      const ids = touched.slice(i, i + 500);
      const reports = await tx.harm.reportsOf(ids);
      for (const id of ids) {
        const before = await tx.harm.getIncident(id, {
          clearance: 'CTS',
          organisations: ['NATO'],
          compartments: [],
        });
        const own = reports.filter((r) => r.incidentId === id);
        if (before && own.length > 0)
          await tx.harm.updateIncident(incidentOf(id, own, now, by, before));
      }
    }
    await tx.audit.append(
      {
        actor: by,
        action: 'harm_report.import',
        recordType: 'harm_report',
        recordId: sourceName,
        afterDigest: recordDigest({ refs: refs.slice().sort() }),
        detail: {
          file: label,
          format: options.format,
          inserted: fresh.length,
          updated: changed.length,
          rejected: bad.length,
        },
      },
      now,
    );
  });
  return result;
}
