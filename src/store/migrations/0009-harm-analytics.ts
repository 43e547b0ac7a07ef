import type { Kysely } from 'kysely';
import type { Breakdown, HarmIncident } from '../../domain/harm/harm.js';
import { isoWeek, reconcile, reconcileBreakdown } from '../../domain/harm/harm-rules.js';
import {
  BREAKDOWN_COLUMNS,
  breakdownRow,
  MEASURE_COLUMNS,
  rebuildStats,
  STATS_KEY_COLUMNS,
} from '../harm-stats.js';
import type { Database } from '../schema/database.js';
import type { StoreKind } from '../ports.js';

/**
 * Civilian harm analytics and links: each incident's breakdown by sex and age group (JSON and
 * one integer column per figure) and ISO week; the `harm_stats` cells dashboard statistics are
 * summed from (store/harm-stats.ts), filled from the existing incidents; damaged civilian
 * objects on reports; and lessons raised from incidents.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, _kind: StoreKind): Promise<void> {
  for (const column of BREAKDOWN_COLUMNS) {
    await db.schema
      .alterTable('harm_incident')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  for (const column of ['week', 'killed_breakdown', 'injured_breakdown']) {
    await db.schema
      .alterTable('harm_incident')
      .addColumn(column, 'text', (c) =>
        c.notNull().defaultTo(column === 'week' ? '' : '{"sex":{},"age":{}}'),
      )
      .execute();
  }
  await db.schema
    .alterTable('harm_report')
    .addColumn('damaged_objects', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  let stats = db.schema.createTable('harm_stats');
  for (const key of STATS_KEY_COLUMNS) stats = stats.addColumn(key, 'text', (c) => c.notNull());
  for (const m of MEASURE_COLUMNS) {
    stats = stats.addColumn(m, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  await stats.execute();
  await db.schema
    .createIndex('harm_stats_cell_uq')
    .on('harm_stats')
    .columns([...STATS_KEY_COLUMNS])
    .unique()
    .execute();
  // Grouped statistics read only these columns: a covering index lets both databases answer
  // from the index alone instead of the cells' wide rows.
  await db.schema
    .createIndex('harm_stats_core_idx')
    .on('harm_stats')
    .columns([
      'kind',
      'dim',
      'period',
      'area',
      'classification',
      'releasability',
      'dim_key',
      'incidents',
      'reports',
      'killed_low',
      'killed_best',
      'killed_high',
      'injured_low',
      'injured_best',
      'injured_high',
    ])
    .execute();

  await db.schema
    .createTable('harm_lesson')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('harm_incident.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('observation', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('harm_lesson_incident_idx')
    .on('harm_lesson')
    .columns(['incident_id', 'created_at'])
    .execute();

  // Existing incidents: breakdown from their reports, week from their first day.
  const incidents = await db
    .selectFrom('harm_incident')
    .select([
      'id',
      'date_start',
      'killed_low',
      'killed_best',
      'killed_high',
      'injured_low',
      'injured_best',
      'injured_high',
    ])
    .where('merged_into', 'is', null)
    .execute();
  for (const i of incidents) {
    const reports = await db
      .selectFrom('harm_report')
      .select(['killed_breakdown', 'injured_breakdown'])
      .where('incident_id', '=', i.id)
      .execute();
    const killedBreakdown = reconcileBreakdown(
      reports.map((r) => JSON.parse(r.killed_breakdown) as Breakdown),
    );
    const injuredBreakdown = reconcileBreakdown(
      reports.map((r) => JSON.parse(r.injured_breakdown) as Breakdown),
    );
    const figures: Pick<
      HarmIncident,
      'killed' | 'injured' | 'killedBreakdown' | 'injuredBreakdown'
    > = {
      killed: reconcile([{ low: i.killed_low, best: i.killed_best, high: i.killed_high }]),
      injured: reconcile([{ low: i.injured_low, best: i.injured_best, high: i.injured_high }]),
      killedBreakdown,
      injuredBreakdown,
    };
    await db
      .updateTable('harm_incident')
      .set({
        ...breakdownRow(figures),
        week: isoWeek(i.date_start),
        killed_breakdown: JSON.stringify(killedBreakdown),
        injured_breakdown: JSON.stringify(injuredBreakdown),
      })
      .where('id', '=', i.id)
      .execute();
  }
  await rebuildStats(db as Kysely<Database>);
}
