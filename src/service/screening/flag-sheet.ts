/**
 * The flag sheet of a screening — the page the legal adviser and the targeting cell sign off —
 * as CSV and as PDF, each carrying the marking of what it contains.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { FLAG_CODES, type FlagCode } from '../../domain/screening/screening.js';
import { formatMarking } from '../../domain/taxonomy/index.js';
import { authorize } from '../access/access.js';
import type { Actor, ServiceDeps } from '../deps.js';
import { csvWithMarking } from '../export/csv.js';
import { getScreening, type ScreeningFor } from './register-screening.service.js';

/** What each flag asks the reader to do, as the sheet prints it. */
export const FLAG_MEANINGS: Readonly<Record<FlagCode, string>> = {
  NSL_INSIDE: 'a no-strike list object is inside: do not engage as planned',
  RTL_RESTRICTION: 'a restricted-target list object is inside: apply its restriction',
  ENHANCED_PROTECTION_INSIDE: 'cultural property under special or enhanced protection is inside',
  SCHOOL_INSIDE: 'a school or other education site is inside',
  HOSPITAL_INSIDE: 'a hospital or other medical site is inside',
  CULTURAL_INSIDE: 'cultural property is inside',
  POPULATION_ABOVE_THRESHOLD: 'the estimated exposed population is above the threshold',
  WITHHELD_INSIDE: 'objects you may not see are inside: refer to a cleared reviewer',
  NO_HITS: 'no protected object within the distances screened',
};

const CSV_HEADER = [
  'aimpoint',
  'label',
  'input',
  'mgrs',
  'lat',
  'lon',
  'radius_m',
  'effect_class',
  'flags',
  'withheld_hits',
  'population_best',
  'object_id',
  'object_name',
  'category',
  'list',
  'restriction',
  'protection',
  'distance_m',
  'buffer_m',
  'object_marking',
];

/**
 * The flag sheet as CSV: the marking banner row first, then one row per (aimpoint, hit) and one
 * row for an aimpoint with no hit the reader may see; every cell formula-neutralised.
 *
 * @example
 * const csv = renderFlagSheetCsv(view); // '"NATO UNCLASSIFIED"\r\naimpoint,label,…'
 */
export function renderFlagSheetCsv(view: ScreeningFor): string {
  const rows: unknown[][] = [];
  for (const a of view.aimpoints) {
    const head = [
      a.id,
      a.label ?? '',
      a.input,
      a.mgrs ?? '',
      a.lat,
      a.lon,
      a.radius_m,
      a.effect_class ?? '',
      a.flags.join(' '),
      a.withheld_hits,
      a.population?.best ?? '',
    ];
    if (a.hits.length === 0) rows.push([...head, '', '', '', '', '', '', '', '', '']);
    for (const h of a.hits) {
      rows.push([
        ...head,
        h.object_id,
        h.name,
        h.category,
        h.list ?? '',
        h.restriction ?? '',
        h.protection,
        h.distance_m.toFixed(1),
        h.buffer_m,
        formatMarking(h.marking),
      ]);
    }
  }
  return csvWithMarking(formatMarking(view.marking), CSV_HEADER, rows);
}

const require = createRequire(import.meta.url);
/** DejaVu Sans covers Latin, Cyrillic, Greek and Arabic letters: names print as written. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/**
 * The flag sheet as PDF (A4 landscape): the marking at the top and bottom of every page, the
 * title, who ran it and when, against what, the result digest, then every aimpoint with its flags
 * and hits.
 *
 * @example
 * const pdf = await renderFlagSheetPdf(view); // Buffer starting with %PDF-
 */
export async function renderFlagSheetPdf(view: ScreeningFor): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 56, bottom: 56, left: 40, right: 40 },
    info: { Title: view.header.title, Creator: 'Civitas' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const marking = formatMarking(view.marking);
  const width = doc.page.width - 80;
  const banner = (): void => {
    const { x, y } = doc;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('bold').fontSize(10).fillColor('#000');
    doc.text(marking, 40, 24, { width, align: 'center', lineBreak: false });
    doc.text(marking, 40, doc.page.height - 36, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = y;
  };
  banner();
  doc.on('pageAdded', banner);

  const h = view.header;
  doc.font('bold').fontSize(16).text(h.title, 40, 56, { width });
  doc.font('body').fontSize(9).moveDown(0.3);
  const facts = [
    `Harm-mitigation screening — not a collateral damage estimate.`,
    `Run by ${view.createdBy.username} at ${h.createdAt}${h.planReference ? `; plan ${h.planReference}` : ''}.`,
    `Screened against ${h.release ? `release ${h.release.number} (${h.release.status})` : 'the current register (all protected objects)'}; population threshold ${h.populationThreshold}.`,
    `${h.aimpointCount} aimpoint(s), ${view.flaggedCount} flagged. Result digest (SHA-256): ${h.resultDigest}`,
  ];
  for (const line of facts) doc.text(line, { width });
  doc.moveDown(0.5);

  const columns: [string, number][] = [
    ['Object', 190],
    ['Category', 80],
    ['List', 40],
    ['Protection', 110],
    ['Distance m', 60],
    ['Buffer m', 50],
    ['Restriction', 160],
    ['Marking', 70],
  ];
  const limit = () => doc.page.height - doc.page.margins.bottom - 20;
  const row = (cells: string[], font: 'body' | 'bold'): void => {
    doc.font(font).fontSize(8);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: columns[i]![1] - 4 }));
    const tall = Math.max(...heights, 10);
    if (doc.y + tall > limit()) doc.addPage();
    const y = doc.y;
    let x = 40;
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: columns[i]![1] - 4 });
      x += columns[i]![1];
    });
    doc.x = 40;
    doc.y = y + tall + 2;
  };
  for (const a of view.aimpoints) {
    if (doc.y + 60 > limit()) doc.addPage();
    doc.font('bold').fontSize(10).fillColor('#000');
    doc.text(
      `${a.id}${a.label ? ` — ${a.label}` : ''}: ${a.input} (${a.mgrs ?? `${a.lat.toFixed(5)}, ${a.lon.toFixed(5)}`}), radius ${a.radius_m} m${a.effect_class ? ` (${a.effect_class})` : ''}`,
      40,
      doc.y,
      { width },
    );
    doc.font('body').fontSize(8);
    const flags = FLAG_CODES.filter((f) => a.flags.includes(f));
    doc.text(
      `Flags: ${flags.map((f) => `${f} — ${FLAG_MEANINGS[f]}`).join('; ')}${a.withheld_hits > 0 ? `. Withheld objects: ${a.withheld_hits}` : ''}${a.population ? `. Population (best estimate): ${a.population.best}` : ''}`,
      { width },
    );
    doc.moveDown(0.2);
    if (a.hits.length > 0) {
      row(
        columns.map(([name]) => name),
        'bold',
      );
      for (const hit of a.hits) {
        row(
          [
            `${hit.name} (${hit.object_id})`,
            hit.category,
            hit.list ?? '',
            hit.protection,
            hit.distance_m.toFixed(1),
            String(hit.buffer_m),
            hit.restriction ?? '',
            formatMarking(hit.marking),
          ],
          'body',
        );
      }
    }
    doc.moveDown(0.6);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * The flag sheet of a screening in a format, for the actor (needs `export`); audited.
 *
 * @example
 * const { body, marking } = await exportFlagSheet(deps, actor, id, 'pdf');
 */
export async function exportFlagSheet(
  deps: ServiceDeps,
  actor: Actor | undefined,
  id: string,
  format: 'csv' | 'pdf',
): Promise<{ body: string | Buffer; view: ScreeningFor }> {
  await authorize(deps, actor, 'screening', 'export');
  const view = await getScreening(deps, actor, id, 'export');
  const body = format === 'csv' ? renderFlagSheetCsv(view) : await renderFlagSheetPdf(view);
  await deps.store.audit.append(
    {
      actor: actor!.id,
      action: 'screening.export',
      recordType: 'screening',
      recordId: id,
      detail: { format, aimpoints: view.aimpoints.length },
    },
    deps.now(),
  );
  return { body, view };
}
