import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../domain/access/viewer.js';
import type {
  Estimate,
  HarmBreakdownGroup,
  HarmIncident,
  HarmStats,
  HarmStatsFilter,
  HarmStatsGroup,
} from '../domain/harm/harm.js';
import { isoWeek, weekMonday } from '../domain/harm/harm-rules.js';
import { visibleTo } from './marking-sql.js';
import type { Database, HarmIncidentTable } from './schema/database.js';

/**
 * Dashboard statistics over many incidents, fast on both databases. Every live incident is
 * also counted in `harm_stats`: cells per calendar month (`kind = 'month'`) and per ISO week
 * (`'week'`), per admin area and marking, once in total (`dim = 'total'`), once under its cause
 * and once under its attribution — each cell holding the sums the statistics show. A query sums
 * the cells of the whole months (or weeks) inside its date range, and reads the incidents
 * themselves only for the partial periods at either end (through the date index). The cells
 * change in the same transaction as the incidents (see {@link applyStatsDelta}); `rebuildStats`
 * recomputes them from the incidents.
 */

export const SEX_KEYS = ['FEMALE', 'MALE', 'UNKNOWN', 'UNRECORDED'] as const;
export const AGE_KEYS = ['CHILD', 'ADULT', 'OLDER', 'UNKNOWN', 'UNRECORDED'] as const;
const BANDS = ['low', 'best', 'high'] as const;
const OUTCOMES = ['killed', 'injured'] as const;
const DIMENSIONS = [
  ['sex', SEX_KEYS],
  ['age', AGE_KEYS],
] as const;

type Dimension = (typeof DIMENSIONS)[number][0];

const bandColumn = (outcome: string, dim: Dimension, key: string, band: string) =>
  `${outcome}_${dim}_${key.toLowerCase()}_${band}`;
const countColumn = (dim: Dimension, key: string) => `n_${dim}_${key.toLowerCase()}`;

/** The breakdown columns an incident row and a stats cell carry (all integers, 0 by default). */
export const BREAKDOWN_COLUMNS: readonly string[] = DIMENSIONS.flatMap(([dim, keys]) =>
  keys.flatMap((key) => [
    ...OUTCOMES.flatMap((o) => BANDS.map((b) => bandColumn(o, dim, key, b))),
    countColumn(dim, key),
  ]),
);

/** The figures every cell sums. */
const FIGURE_COLUMNS = [
  'reports',
  'killed_low',
  'killed_best',
  'killed_high',
  'injured_low',
  'injured_best',
  'injured_high',
] as const;
export const MEASURE_COLUMNS: readonly string[] = [
  'incidents',
  ...FIGURE_COLUMNS,
  ...BREAKDOWN_COLUMNS,
];
const KEY_COLUMNS = [
  'kind',
  'dim',
  'period',
  'dim_key',
  'area',
  'classification',
  'releasability',
] as const;
export const STATS_KEY_COLUMNS: readonly string[] = KEY_COLUMNS;

type Figures = Pick<HarmIncident, 'killed' | 'injured' | 'killedBreakdown' | 'injuredBreakdown'>;

/**
 * The breakdown columns of an incident: per sex and age group the reconciled low/best/high,
 * `UNRECORDED` the part of the total no key describes (never below 0, band by band), and a 1
 * in `n_…` when anyone (killed or injured, by the high figure) is in the group.
 */
export function breakdownRow(incident: Figures): Record<string, number> {
  const row: Record<string, number> = {};
  for (const [dim, keys] of DIMENSIONS) {
    for (const outcome of OUTCOMES) {
      const total: Estimate = incident[outcome];
      const parts = incident[`${outcome}Breakdown`][dim] as Partial<Record<string, Estimate>>;
      for (const band of BANDS) {
        let described = 0;
        for (const key of keys) {
          if (key === 'UNRECORDED') continue;
          const n = parts[key]?.[band] ?? 0;
          described += n;
          row[bandColumn(outcome, dim, key, band)] = n;
        }
        row[bandColumn(outcome, dim, 'UNRECORDED', band)] = Math.max(0, total[band] - described);
      }
    }
    for (const key of keys) {
      const high = OUTCOMES.reduce((s, o) => s + row[bandColumn(o, dim, key, 'high')]!, 0);
      row[countColumn(dim, key)] = high > 0 ? 1 : 0;
    }
  }
  return row;
}

/** What a cell needs of an incident row. */
type StatsSource = Pick<
  HarmIncidentTable,
  | 'date_start'
  | 'admin_code'
  | 'admin_name'
  | 'classification'
  | 'releasability'
  | 'cause'
  | 'attribution'
  | 'report_count'
  | 'killed_low'
  | 'killed_best'
  | 'killed_high'
  | 'injured_low'
  | 'injured_best'
  | 'injured_high'
>;

const areaOf = (r: Pick<StatsSource, 'admin_code' | 'admin_name'>) =>
  r.admin_code ?? r.admin_name ?? '';

/**
 * Adds (`sign` 1) or takes away (−1) these incident rows' figures in their cells, in one
 * upsert per batch: call it in the transaction that writes the incidents. Merged-away
 * incidents must not be passed.
 */
export async function applyStatsDelta(
  db: Kysely<Database>,
  rows: readonly StatsSource[],
  sign: 1 | -1,
): Promise<void> {
  const width = MEASURE_COLUMNS.length;
  const cells = new Map<string, { key: Record<string, string>; sums: Float64Array }>();
  const measures = new Float64Array(width);
  const add = (
    kind: string,
    dim: string,
    period: string,
    dimKey: string,
    area: string,
    r: StatsSource,
  ) => {
    const id = `${kind}\u0001${dim}\u0001${period}\u0001${dimKey}\u0001${area}\u0001${r.classification}\u0001${r.releasability}`;
    let cell = cells.get(id);
    if (!cell) {
      cell = {
        key: {
          kind,
          dim,
          period,
          dim_key: dimKey,
          area,
          classification: r.classification,
          releasability: r.releasability,
        },
        sums: new Float64Array(width),
      };
      cells.set(id, cell);
    }
    for (let m = 0; m < width; m += 1) cell.sums[m]! += sign * measures[m]!;
  };
  for (const r of rows) {
    const all = r as unknown as Record<string, unknown>;
    measures[0] = 1;
    for (let m = 1; m < width; m += 1) {
      measures[m] = Number(all[m === 1 ? 'report_count' : MEASURE_COLUMNS[m]!] ?? 0);
    }
    const area = areaOf(r);
    const month = r.date_start.slice(0, 7);
    add('month', 'total', month, '', area, r);
    add('month', 'cause', month, r.cause, area, r);
    add('month', 'attribution', month, r.attribution ?? 'UNASSESSED', area, r);
    add('week', 'total', isoWeek(r.date_start), '', area, r);
  }
  const values = [...cells.values()].map(({ key, sums }) => ({
    ...key,
    ...Object.fromEntries(MEASURE_COLUMNS.map((m, i) => [m, sums[i]!])),
  }));
  const batch = Math.floor(30_000 / (KEY_COLUMNS.length + MEASURE_COLUMNS.length));
  const update = Object.fromEntries(
    MEASURE_COLUMNS.map((m) => [m, sql.raw(`harm_stats.${m} + excluded.${m}`)]),
  );
  for (let i = 0; i < values.length; i += batch) {
    await db
      .insertInto('harm_stats')
      .values(values.slice(i, i + batch) as never)
      .onConflict((oc) => oc.columns([...KEY_COLUMNS]).doUpdateSet(update as never))
      .execute();
  }
}

/** Recomputes every cell from the incidents (after a bulk load or a migration). */
export async function rebuildStats(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('harm_stats').execute();
  const keys = KEY_COLUMNS.join(', ');
  const measures = MEASURE_COLUMNS.join(', ');
  const sums = [
    'count(*)',
    'sum(report_count)',
    ...FIGURE_COLUMNS.slice(1).map((c) => `sum(${c})`),
    ...BREAKDOWN_COLUMNS.map((c) => `sum(${c})`),
  ].join(', ');
  const area = "coalesce(admin_code, admin_name, '')";
  const parts: [string, string, string][] = [
    ['month', 'substr(date_start, 1, 7)', "''"],
    ['month', 'substr(date_start, 1, 7)', 'cause'],
    ['month', 'substr(date_start, 1, 7)', "coalesce(attribution, 'UNASSESSED')"],
    ['week', 'week', "''"],
  ];
  const dims = ['total', 'cause', 'attribution', 'total'];
  for (const [i, [kind, period, dimKey]] of parts.entries()) {
    await sql
      .raw(
        `INSERT INTO harm_stats (${keys}, ${measures})
         SELECT '${kind}', '${dims[i]}', ${period}, ${dimKey}, ${area}, classification, releasability, ${sums}
         FROM harm_incident WHERE merged_into IS NULL
         GROUP BY ${period}, ${dimKey === "''" ? '' : `${dimKey}, `}${area}, classification, releasability`,
      )
      .execute(db);
  }
}

/** The parts of the statistics a caller may ask for. */
export const STATS_PARTS = [
  'totals',
  'byMonth',
  'byWeek',
  'byArea',
  'byCause',
  'byAttribution',
] as const;
export type StatsPart = (typeof STATS_PARTS)[number];

interface Period {
  /** First and last day of the period a day falls in. */
  start(day: string): string;
  end(day: string): string;
  label(day: string): string;
}

const DAY_MS = 86_400_000;
const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const MONTH: Period = {
  start: (day) => `${day.slice(0, 7)}-01`,
  end: (day) => {
    const [y, m] = day.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  },
  label: (day) => day.slice(0, 7),
};
const WEEK: Period = {
  start: weekMonday,
  end: (day) => shift(weekMonday(day), 6),
  label: isoWeek,
};

/**
 * How a date filter splits over a period's cells: the labels of the whole periods inside it
 * (`from`/`to` absent for an open end; `none` when no whole period fits) and the day ranges
 * at either end that must be read from the incidents.
 */
export function splitRange(
  period: Period,
  from: string | undefined,
  to: string | undefined,
): { cells: { from?: string; to?: string } | 'none'; edges: [string, string][] } {
  const lo =
    from === undefined
      ? undefined
      : period.start(from) === from
        ? from
        : shift(period.end(from), 1);
  const hi =
    to === undefined ? undefined : period.end(to) === to ? to : shift(period.start(to), -1);
  if (from !== undefined && to !== undefined && (lo! > hi! || from > to)) {
    return { cells: 'none', edges: from <= to ? [[from, to]] : [] };
  }
  const edges: [string, string][] = [];
  if (from !== undefined && from < lo!) edges.push([from, shift(lo!, -1)]);
  if (to !== undefined && to > hi!) edges.push([shift(hi!, 1), to]);
  return {
    cells: {
      ...(lo !== undefined ? { from: period.label(lo) } : {}),
      ...(hi !== undefined ? { to: period.label(hi) } : {}),
    },
    edges,
  };
}

const num = (v: unknown): number => Number(v ?? 0);
type Row = Record<string, unknown>;

/**
 * One statistics query: its groups summed from the cells of whole periods and from the
 * incidents of the partial ones.
 */
async function query(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: HarmStatsFilter,
  spec: {
    period: Period;
    kind: 'month' | 'week';
    dim: 'total' | 'cause' | 'attribution';
    /** The group in cells and in incident rows; null for one row over everything. */
    group: { cell: string; incident: string } | null;
    measures: readonly string[];
  },
): Promise<Map<string, Record<string, number>>> {
  // Cells are not kept per grade or topic: with either filter, every chosen incident is read
  // (assessed and tagged incidents are few, and indexed).
  const selective = filter.grade !== undefined || filter.topic !== undefined;
  const split: ReturnType<typeof splitRange> = selective
    ? {
        cells: 'none',
        edges:
          filter.from !== undefined && filter.to !== undefined && filter.from > filter.to
            ? []
            : [[filter.from ?? '0000-01-01', filter.to ?? '9999-12-31']],
      }
    : splitRange(spec.period, filter.from, filter.to);
  const out = new Map<string, Record<string, number>>();
  const collect = (rows: Row[]) => {
    for (const r of rows) {
      const key = spec.group ? String(r.k ?? '') : '';
      const into = out.get(key) ?? Object.fromEntries(spec.measures.map((m) => [m, 0]));
      for (const m of spec.measures) into[m] = into[m]! + num(r[m]);
      out.set(key, into);
    }
  };
  const select = (incidents: boolean) =>
    spec.measures
      .map((m) => {
        if (!incidents) return `coalesce(sum(${m}), 0) AS ${m}`;
        if (m === 'incidents') return 'count(*) AS incidents';
        if (m === 'reports') return 'coalesce(sum(report_count), 0) AS reports';
        return `coalesce(sum(${m}), 0) AS ${m}`;
      })
      .join(', ');
  const tasks: Promise<void>[] = [];
  if (split.cells !== 'none') {
    const cells = split.cells;
    const conditions: RawBuilder<unknown>[] = [
      sql`kind = ${spec.kind}`,
      sql`dim = ${spec.dim}`,
      visibleTo('harm_stats', viewer, { compartment: false }),
    ];
    if (cells.from !== undefined) conditions.push(sql`period >= ${cells.from}`);
    if (cells.to !== undefined) conditions.push(sql`period <= ${cells.to}`);
    if (filter.area !== undefined) conditions.push(sql`area = ${filter.area}`);
    const group = spec.group ? sql.raw(spec.group.cell) : null;
    tasks.push(
      sql<Row>`SELECT ${group ? sql`${group} AS k, ` : sql``}${sql.raw(select(false))}
        FROM harm_stats WHERE ${sql.join(conditions, sql` AND `)}
        ${group ? sql`GROUP BY ${group}` : sql``}`
        .execute(db)
        .then((r) => collect(r.rows)),
    );
  }
  if (split.edges.length > 0) {
    const conditions: RawBuilder<unknown>[] = [
      sql`merged_into IS NULL`,
      visibleTo('harm_incident', viewer, { compartment: false }),
      sql`(${sql.join(
        split.edges.map(([a, b]) => sql`(date_start >= ${a} AND date_start <= ${b})`),
        sql` OR `,
      )})`,
    ];
    if (filter.area !== undefined) {
      conditions.push(
        sql`(admin_code = ${filter.area} OR (admin_code IS NULL AND admin_name = ${filter.area}))`,
      );
    }
    if (filter.grade !== undefined) conditions.push(sql`grade = ${filter.grade}`);
    if (filter.topic !== undefined) {
      // Topics are a JSON array of codes; a code is quoted in it, so this cannot match a prefix.
      conditions.push(sql`topics <> '[]' AND topics LIKE ${`%${JSON.stringify(filter.topic)}%`}`);
    }
    const group = spec.group ? sql.raw(spec.group.incident) : null;
    tasks.push(
      sql<Row>`SELECT ${group ? sql`${group} AS k, ` : sql``}${sql.raw(select(true))}
        FROM harm_incident WHERE ${sql.join(conditions, sql` AND `)}
        ${group ? sql`GROUP BY ${group}` : sql``}`
        .execute(db)
        .then((r) => collect(r.rows)),
    );
  }
  await Promise.all(tasks);
  return out;
}

function figures(m: Record<string, number>) {
  return {
    incidents: m.incidents ?? 0,
    reports: m.reports ?? 0,
    killed: { low: m.killed_low ?? 0, best: m.killed_best ?? 0, high: m.killed_high ?? 0 },
    injured: { low: m.injured_low ?? 0, best: m.injured_best ?? 0, high: m.injured_high ?? 0 },
  };
}

function groups(found: Map<string, Record<string, number>>, empty?: string): HarmStatsGroup[] {
  return [...found.entries()]
    .filter(([, m]) => (m.incidents ?? 0) > 0)
    .map(([key, m]) => ({ key: key === '' && empty ? empty : key, ...figures(m) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function breakdownGroups(
  m: Record<string, number> | undefined,
  dim: Dimension,
  keys: readonly string[],
): HarmBreakdownGroup[] {
  const band = (outcome: string, key: string) => ({
    low: m?.[bandColumn(outcome, dim, key, 'low')] ?? 0,
    best: m?.[bandColumn(outcome, dim, key, 'best')] ?? 0,
    high: m?.[bandColumn(outcome, dim, key, 'high')] ?? 0,
  });
  return keys.map((key) => ({
    key,
    incidents: m?.[countColumn(dim, key)] ?? 0,
    killed: band('killed', key),
    injured: band('injured', key),
  }));
}

const CORE = ['incidents', ...FIGURE_COLUMNS] as const;

/**
 * Statistics over the incidents a viewer may see, for the parts asked (all by default; the
 * others come back empty).
 */
export async function harmStatistics(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: HarmStatsFilter,
  parts: readonly StatsPart[] = STATS_PARTS,
): Promise<HarmStats> {
  const want = new Set(parts);
  const month = (
    dim: 'total' | 'cause' | 'attribution',
    group: { cell: string; incident: string } | null,
    measures: readonly string[] = CORE,
  ) => query(db, viewer, filter, { period: MONTH, kind: 'month', dim, group, measures });
  const none = Promise.resolve(new Map<string, Record<string, number>>());
  const [totals, byMonth, byWeek, byArea, byCause, byAttribution] = await Promise.all([
    want.has('totals') ? month('total', null, MEASURE_COLUMNS) : none,
    want.has('byMonth')
      ? month('total', { cell: 'period', incident: 'substr(date_start, 1, 7)' })
      : none,
    want.has('byWeek')
      ? query(db, viewer, filter, {
          period: WEEK,
          kind: 'week',
          dim: 'total',
          group: { cell: 'period', incident: 'week' },
          measures: CORE,
        })
      : none,
    want.has('byArea')
      ? month('total', { cell: 'area', incident: "coalesce(admin_code, admin_name, '')" })
      : none,
    want.has('byCause') ? month('cause', { cell: 'dim_key', incident: 'cause' }) : none,
    want.has('byAttribution')
      ? month('attribution', {
          cell: 'dim_key',
          incident: "coalesce(attribution, 'UNASSESSED')",
        })
      : none,
  ]);
  const total = totals.get('');
  return {
    ...figures(total ?? {}),
    byMonth: groups(byMonth),
    byWeek: groups(byWeek),
    byArea: groups(byArea, 'UNKNOWN'),
    byCause: groups(byCause),
    byAttribution: groups(byAttribution),
    bySex: want.has('totals') ? breakdownGroups(total, 'sex', SEX_KEYS) : [],
    byAge: want.has('totals') ? breakdownGroups(total, 'age', AGE_KEYS) : [],
  };
}
