import type { Kysely } from 'kysely';
import { grantRows, SCREENING_PERMISSIONS } from '../../domain/access/permission.js';
import type { StoreKind } from '../ports.js';

/**
 * Harm-mitigation screenings saved against the register or a release, and the deployment's
 * effect classes. A screening's full result (aimpoints, every hit, population) is stored
 * encrypted with the field cipher — planned aimpoints are among the most sensitive data Civitas
 * holds — next to the SHA-256 digest of its canonical JSON, which stays readable for
 * verification, and the combined marking of all its hits (a reader cleared for that marking sees
 * the full result, so lists need not decrypt it). The effect classes are seeded with illustrative radii that every deployment
 * must replace with its own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>, _kind: StoreKind): Promise<void> {
  await db.insertInto('role_permission').values(grantRows(SCREENING_PERMISSIONS)).execute();

  await db.schema
    .createTable('effect_class')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('radius_m', 'double precision', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  const at = new Date().toISOString();
  const seed = (code: string, label: string, radius: number) => ({
    code,
    label: `${label} (illustrative — set for your deployment)`,
    radius_m: radius,
    description:
      'Seeded by Civitas as an example only; not doctrine and not derived from any weapon data. Replace it with the radii your deployment has approved.',
    updated_at: at,
    updated_by: 'system:migration',
  });
  await db
    .insertInto('effect_class')
    .values([
      seed('SMALL', 'Small', 25),
      seed('MEDIUM', 'Medium', 100),
      seed('LARGE', 'Large', 250),
      seed('AREA', 'Area', 1000),
    ])
    .execute();

  await db.schema
    .createTable('screening')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('plan_reference', 'text')
    .addColumn('release_id', 'text')
    .addColumn('release_number', 'integer')
    .addColumn('release_status', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('releasability', 'text', (c) => c.notNull())
    .addColumn('population_threshold', 'double precision', (c) => c.notNull())
    .addColumn('aimpoint_count', 'integer', (c) => c.notNull())
    .addColumn('flagged_count', 'integer', (c) => c.notNull())
    .addColumn('hits_classification', 'text', (c) => c.notNull())
    .addColumn('hits_releasability', 'text', (c) => c.notNull())
    .addColumn('result_digest', 'text', (c) => c.notNull())
    .addColumn('result_enc', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('screening_created_idx')
    .on('screening')
    .columns(['created_at', 'id'])
    .execute();
}
