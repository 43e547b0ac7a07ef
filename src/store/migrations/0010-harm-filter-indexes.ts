import { sql, type Kysely } from 'kysely';

/**
 * Statistics filtered by assessment grade or cross-cutting topic read the chosen incidents
 * directly (store/harm-stats.ts): these partial indexes hold only assessed and only tagged
 * incidents, so such a filter reads those few and not every incident. The same on SQLite and
 * PostgreSQL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see 0001-platform.ts
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX harm_incident_grade_idx ON harm_incident (grade, date_start) WHERE grade IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX harm_incident_topics_idx ON harm_incident (topics) WHERE topics <> '[]'`.execute(
    db,
  );
}
