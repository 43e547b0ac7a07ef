import type { Expression, Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Geometry } from 'geojson';
import type { BBox } from '../geo/index.js';
import type { Area, AreaCounts, Place, Region, Unit } from '../domain/area/area.js';
import type { Viewer } from '../domain/access/viewer.js';
import type { ChainedFields } from '../domain/audit/audit-chain.js';
import type { Action, RecordType } from '../domain/access/permission.js';
import type { Compartment, Role } from '../domain/access/role.js';
import type { ApiToken, User, UserCredentials } from '../domain/access/user.js';
import type { Factor } from '../domain/factor/factor.js';
import type {
  AscopeCategory,
  Classification,
  PmesiiDomain,
  Releasability,
} from '../domain/taxonomy/index.js';
import type { FieldCipher } from './crypto/field-cipher.js';
import type { StatsPart } from './harm-stats.js';
import type { ListKind, ObjectCategory } from '../domain/protected-object/protected-object.js';
import type {
  ProtectedObject,
  Release,
  ReleaseItem,
  ReleaseStatus,
} from '../domain/protected-object/register.js';
import type {
  EffectClass,
  ScreenableObject,
  Screening,
  ScreeningHeader,
} from '../domain/screening/screening.js';
import type { Database, SpatialTable } from './schema/database.js';
import type {
  Casualty,
  HarmCandidate,
  HarmIncident,
  HarmReport,
  HarmResponse,
  HarmLesson,
  HarmStats,
  HarmStatsFilter,
} from '../domain/harm/harm.js';

/** Which database engine a store runs on. */
export type StoreKind = 'sqlite' | 'postgres';

/** A page request: at most `limit` rows after skipping `offset`. */
export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/** A page of results with the total that matched before paging. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

/**
 * An audit event as the service layer writes it: who, what, which record, and digests of the
 * record before and after (never its values).
 */
export interface AuditEventInput {
  readonly actor: string;
  readonly action: string;
  readonly recordType: string;
  readonly recordId: string;
  readonly detail?: Record<string, unknown>;
  readonly beforeDigest?: string | null;
  readonly afterDigest?: string | null;
}

/** A stored audit event with its place in the hash chain. */
export interface AuditEvent extends ChainedFields {
  readonly prevHash: string;
  readonly hash: string;
}

/** Filters for the audit list. */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly recordType?: string;
  readonly recordId?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * What each adapter must say in its own SQL dialect. The repositories are shared between SQLite
 * and PostgreSQL and ask this port for the few things that differ: geometry and locking.
 */
export interface DialectSql {
  /**
   * Serialises audit appends across connections and processes until the transaction ends
   * (PostgreSQL advisory lock; SQLite's single writer already does this).
   */
  lockAuditChain(db: Kysely<Database>): Promise<void>;
  /** The value to insert into a `geom` column for this GeoJSON geometry. */
  geometryValue(geometry: Geometry): Expression<string> | string;
  /** An expression selecting a `geom` column back as GeoJSON text. */
  geometryJson(table: SpatialTable): RawBuilder<string>;
  /** A condition using the spatial index: rows whose box may intersect `box`. */
  bboxCandidates(table: SpatialTable, box: BBox): Expression<SqlBool>;
  /**
   * A condition using the name-search index (migrations/0011-register-name-search.ts): protected
   * objects having, for each of `words` (already normalised by `searchText`, none empty), a word
   * of their `search_text` that starts with it.
   */
  nameWordsMatch(words: readonly string[]): Expression<SqlBool>;
  /**
   * Starts writing many protected-object rows, this engine's fastest way, in the transaction
   * `db` is in (imports). Only {@link ProtectedObjectRepository.bulkWrite} calls it, and it calls
   * `finish` before the transaction can commit.
   */
  objectRows(db: Kysely<Database>): ObjectRowWriter;
}

/** The columns of one `protected_object` row, with the geometry as GeoJSON text. */
export interface ObjectRow {
  readonly id: string;
  readonly source: string;
  readonly source_ref: string;
  readonly name: string;
  readonly name_latin: string | null;
  readonly search_text: string;
  readonly category: string;
  readonly protection: string;
  readonly buffer_m: number;
  readonly mgrs: string | null;
  readonly topics: string;
  readonly list_kind: string | null;
  readonly restriction: string | null;
  readonly classification: string;
  readonly releasability: string;
  readonly geom: string;
  readonly min_lon: number;
  readonly min_lat: number;
  readonly max_lon: number;
  readonly max_lat: number;
  readonly lon: number;
  readonly lat: number;
  readonly version: number;
  readonly created_at: string;
  readonly created_by: string;
  readonly updated_at: string;
  readonly updated_by: string;
}

/**
 * Many `protected_object` rows, each an array of its values in the order of `OBJECT_ROW_COLUMNS`
 * (store/object-row.ts, `objectRowValues`). Cheaper to build, to pass between threads and to
 * bind than one object per row.
 */
export interface ObjectRowBatch {
  readonly rows: unknown[][];
}

/**
 * An adapter's bulk writer of `protected_object` rows: inserts new rows, updates existing ones
 * by id (every column but `id`, `created_at` and `created_by`), and completes the spatial index
 * in `finish`.
 */
export interface ObjectRowWriter {
  insert(rows: readonly ObjectRow[]): Promise<void>;
  /** Inserts new rows given as a batch of value arrays (the form a large import prepares them in). */
  insertRows(batch: ObjectRowBatch): Promise<void>;
  update(rows: readonly ObjectRow[]): Promise<void>;
  /** Completes the writes and the spatial index; the writer cannot be used afterwards. */
  finish(): Promise<void>;
}

/** Areas of operations and what they contain. */
export interface AreaRepository {
  insertArea(area: Area): Promise<void>;
  /** Deletes an area and, by cascade, everything in it. Returns false when there was none. */
  deleteArea(id: string): Promise<boolean>;
  insertRegions(regions: readonly Region[]): Promise<void>;
  insertPlaces(places: readonly Place[]): Promise<void>;
  insertUnits(units: readonly Unit[]): Promise<void>;
  /** All areas, or those the viewer may see. */
  countAreas(viewer?: Viewer): Promise<number>;
  listAreas(page: PageRequest, viewer: Viewer): Promise<Page<Area & AreaCounts>>;
  /** An area, or undefined when it does not exist or the viewer may not see it. */
  getArea(id: string, viewer: Viewer): Promise<(Area & AreaCounts) | undefined>;
  listRegions(areaId: string): Promise<Region[]>;
  /** The regions of any area with one of these codes (admin P-codes), with their outlines. */
  regionsByCode(codes: readonly string[]): Promise<Region[]>;
  listPlaces(areaId: string, filter: { bbox?: BBox; limit: number }): Promise<Page<Place>>;
  listUnits(areaId: string): Promise<Unit[]>;
}

/** The append-only, hash-chained audit trail. */
export interface AuditRepository {
  /** Appends one event, chained to the previous one; call inside the transaction of the change. */
  append(event: AuditEventInput, at: string): Promise<AuditEvent>;
  listForRecord(recordType: string, recordId: string): Promise<AuditEvent[]>;
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>>;
  /** Every event in sequence order, in batches, for verification and backup checks. */
  scan(batchSize: number): AsyncIterable<AuditEvent[]>;
}

/** A new user as the repository stores it. */
export interface NewUserRow {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly clearance: Classification;
  readonly organisations: readonly Releasability[];
  readonly fullName: string;
  readonly contact: string;
  readonly passwordHash: string;
  readonly demo: boolean;
  readonly at: string;
}

/** User accounts, their compartment grants and their credentials. */
export interface UserRepository {
  insert(user: NewUserRow): Promise<void>;
  get(id: string): Promise<User | undefined>;
  getByUsername(username: string): Promise<User | undefined>;
  credentials(username: string): Promise<UserCredentials | undefined>;
  list(page: PageRequest): Promise<Page<User>>;
  count(): Promise<number>;
  update(
    id: string,
    changes: Partial<{
      role: Role;
      clearance: Classification;
      organisations: readonly Releasability[];
      fullName: string;
      contact: string;
      passwordHash: string;
      disabled: boolean;
      failedLogins: number;
      lockedUntil: string | null;
    }>,
    at: string,
  ): Promise<void>;
  /**
   * Adds one failed sign-in in a single statement and returns the new count, so sign-ins that
   * fail in parallel cannot overwrite each other's count and slip past the lockout.
   */
  incrementFailedLogins(id: string): Promise<number>;
  grant(userId: string, compartment: Compartment, by: string, at: string): Promise<void>;
  revoke(userId: string, compartment: Compartment): Promise<boolean>;
  /** Every encrypted field with its row id, for key rotation. */
  reencrypt(cipher: FieldCipher): Promise<number>;
}

/** A session as stored: only the hash of its token. */
export interface SessionRow {
  readonly idHash: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
}

/** Sessions and API tokens. */
export interface CredentialRepository {
  createSession(row: SessionRow): Promise<void>;
  getSession(idHash: string): Promise<SessionRow | undefined>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user, except the one named (the session making a change). */
  deleteSessionsOf(userId: string, exceptIdHash?: string): Promise<number>;
  createToken(token: ApiToken & { secretHash: string }): Promise<void>;
  getToken(id: string): Promise<(ApiToken & { secretHash: string }) | undefined>;
  listTokens(userId: string): Promise<ApiToken[]>;
  revokeToken(id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;
}

/** Permissions as data: role → record type → action. */
export interface PermissionRepository {
  isAllowed(role: Role, recordType: RecordType, action: Action): Promise<boolean>;
  list(): Promise<{ role: Role; recordType: RecordType; action: Action }[]>;
}

/** Filters for factor lists. */
export interface FactorFilter {
  readonly pmesii?: PmesiiDomain;
  readonly ascope?: AscopeCategory;
  readonly topic?: string;
  readonly regionId?: string;
}

/** Human security factors of an area, filtered by marking and compartment inside the query. */
export interface FactorRepository {
  insert(factor: Factor): Promise<void>;
  get(id: string, viewer: Viewer): Promise<Factor | undefined>;
  list(
    areaId: string,
    viewer: Viewer,
    filter: FactorFilter,
    page: PageRequest,
  ): Promise<Page<Factor>>;
  /** Visible factors per PMESII × ASCOPE cell. */
  matrix(
    areaId: string,
    viewer: Viewer,
  ): Promise<{ pmesii: PmesiiDomain; ascope: AscopeCategory; count: number }[]>;
  /** Factors of an area the viewer may not see because of a compartment, per compartment. */
  compartmentedCounts(
    areaId: string,
    viewer: Viewer,
  ): Promise<{ compartment: Compartment; count: number }[]>;
  update(factor: Factor): Promise<void>;
  delete(id: string): Promise<boolean>;
  reencrypt(cipher: FieldCipher): Promise<number>;
}

/** Filters for the register: name text, category, list, bbox, or a great-circle radius. */
export interface ObjectFilter {
  readonly q?: string;
  readonly category?: ObjectCategory;
  readonly list?: ListKind | 'none';
  readonly bbox?: BBox;
  readonly near?: { readonly lon: number; readonly lat: number; readonly metres: number };
}

/** Inserts and updates objects in bulk; see {@link ProtectedObjectRepository.bulkWrite}. */
export interface ObjectBulkWriter {
  /** Inserts new objects, as `insertMany` does. */
  insert(objects: readonly ProtectedObject[]): Promise<void>;
  /** Updates existing objects by id, as `update` does for each. */
  update(objects: readonly ProtectedObject[]): Promise<void>;
  /** Inserts new objects already turned into rows (store/object-row.ts), ids set. */
  insertRows(batch: ObjectRowBatch): Promise<void>;
  /** Updates existing objects already turned into rows, by id. */
  updateRows(rows: readonly ObjectRow[]): Promise<void>;
}

/** A protected object with its great-circle distance from a `near` point, when one was given. */
export type ObjectHit = ProtectedObject & { readonly distanceMetres?: number };

/** The protected-objects register. */
export interface ProtectedObjectRepository {
  /** Ids and versions of objects already imported from a source, by source reference. */
  findBySource(
    source: string,
    refs: readonly string[],
  ): Promise<Map<string, { id: string; version: number }>>;
  /** Whether the register holds any object from this source (else an import needs no look-ups). */
  hasSource(source: string): Promise<boolean>;
  /**
   * Runs `work` with a writer that inserts and updates objects in bulk — prepared statements on
   * SQLite with the R*Tree filled once at the end, one statement per batch on PostgreSQL — with
   * the same result as `insertMany` and `update`. Call it inside `store.transaction` (it throws
   * otherwise); every write is in the spatial index when it returns or throws.
   *
   * @example
   * await store.transaction((tx) =>
   *   tx.objects.bulkWrite(async (writer) => {
   *     await writer.update(changedObjects);
   *     await writer.insert(newObjects);
   *   }),
   * );
   */
  bulkWrite<T>(work: (writer: ObjectBulkWriter) => Promise<T>): Promise<T>;
  insertMany(objects: readonly ProtectedObject[]): Promise<void>;
  update(object: ProtectedObject): Promise<void>;
  delete(id: string): Promise<boolean>;
  get(id: string, viewer: Viewer): Promise<ProtectedObject | undefined>;
  search(viewer: Viewer, filter: ObjectFilter, page: PageRequest): Promise<Page<ObjectHit>>;
  /** Every object on the NSL or RTL (unfiltered: releases are made from the whole register). */
  onLists(): Promise<ProtectedObject[]>;
  count(): Promise<number>;
  /**
   * Every object of the register (unfiltered: a hidden object is still protected), as screening
   * needs it, in batches in id order; lines and areas with their geometry.
   */
  scanForScreening(batchSize: number): AsyncIterable<ScreenableObject[]>;
  /** The largest standoff buffer in the register (0 when it is empty). */
  maxBuffer(): Promise<number>;
}

/** Saved harm-mitigation screenings; the result is encrypted at rest. */
export interface ScreeningRepository {
  /** Stores a screening with its result as the canonical JSON its digest was taken of. */
  insert(screening: ScreeningHeader, resultJson: string): Promise<void>;
  /** A screening with its full result, or undefined when missing or above the viewer's access. */
  get(id: string, viewer: Viewer): Promise<Screening | undefined>;
  /** Screenings the viewer may see, newest first. */
  list(viewer: Viewer, page: PageRequest): Promise<Page<ScreeningHeader>>;
  reencrypt(cipher: FieldCipher): Promise<number>;
}

/** The deployment's effect classes. */
export interface EffectClassRepository {
  list(): Promise<EffectClass[]>;
  get(code: string): Promise<EffectClass | undefined>;
  /** Creates or replaces a class. */
  put(effectClass: EffectClass): Promise<void>;
  delete(code: string): Promise<boolean>;
}

/** Versioned NSL/RTL releases and their frozen items. */
export interface ReleaseRepository {
  insert(release: Release, items: readonly ReleaseItem[]): Promise<void>;
  get(id: string): Promise<Release | undefined>;
  getByNumber(number: number): Promise<Release | undefined>;
  list(page: PageRequest): Promise<Page<Release>>;
  items(releaseId: string): Promise<ReleaseItem[]>;
  setStatus(
    id: string,
    status: ReleaseStatus,
    changes: { number?: number; approver?: string; submittedAt?: string; releasedAt?: string },
  ): Promise<void>;
  /** The newest released release, if any. */
  latestReleased(): Promise<Release | undefined>;
  /** The number the next release will get. */
  nextNumber(): Promise<number>;
}

/** Filters for incident lists. */
export type IncidentFilter = HarmStatsFilter;

/** What correlation needs of a report: where, when, how precisely, and its incident. */
export interface ReportPoint {
  readonly id: string;
  readonly incidentId: string;
  readonly lon: number;
  readonly lat: number;
  readonly locationPrecision: string;
  readonly dateStart: string;
  readonly dateEnd: string;
  readonly datePrecision: string;
  /** The published dataset a report is a record of (source type DATASET), else null. */
  readonly dataset: string | null;
}

/**
 * Civilian harm: reports, incidents, candidates, responses, casualties. Reads taking a viewer
 * filter by marking inside the query; responses and casualties carry their incident's marking.
 * Sensitive fields are decrypted only when `sensitive` is asked for.
 */
export interface HarmRepository {
  insertIncidents(incidents: readonly HarmIncident[]): Promise<void>;
  updateIncident(incident: HarmIncident, mergedInto?: string | null): Promise<void>;
  getIncident(id: string, viewer: Viewer): Promise<HarmIncident | undefined>;
  /** Where a merged incident went, or null; undefined when there is no such incident. */
  mergedInto(id: string): Promise<string | null | undefined>;
  listIncidents(
    viewer: Viewer,
    filter: IncidentFilter,
    page: PageRequest,
  ): Promise<Page<HarmIncident>>;
  insertReports(reports: readonly HarmReport[]): Promise<void>;
  updateReport(report: HarmReport): Promise<void>;
  getReport(id: string, viewer: Viewer, sensitive: boolean): Promise<HarmReport | undefined>;
  listReports(
    viewer: Viewer,
    filter: { incidentId?: string },
    page: PageRequest,
    sensitive: boolean,
  ): Promise<Page<HarmReport>>;
  /** Every report of these incidents, whatever their marking (to reconcile incidents). */
  reportsOf(incidentIds: readonly string[]): Promise<HarmReport[]>;
  /** Reports already imported from a source, by source reference. */
  findBySource(
    sourceName: string,
    refs: readonly string[],
  ): Promise<Map<string, { id: string; incidentId: string }>>;
  moveReports(reportIds: readonly string[], incidentId: string): Promise<void>;
  /** Every report's place and date, for correlation. */
  reportPoints(): Promise<ReportPoint[]>;
  insertCandidates(candidates: readonly HarmCandidate[]): Promise<void>;
  /** Every candidate pair already recorded, as `a|b` keys. */
  candidateKeys(): Promise<Set<string>>;
  getCandidate(id: string): Promise<HarmCandidate | undefined>;
  listCandidates(
    status: HarmCandidate['status'] | undefined,
    page: PageRequest,
  ): Promise<Page<HarmCandidate>>;
  setCandidateStatus(
    id: string,
    status: HarmCandidate['status'],
    by: string | null,
    at: string | null,
  ): Promise<void>;
  insertResponse(response: HarmResponse): Promise<void>;
  updateResponse(response: HarmResponse): Promise<void>;
  getResponse(id: string): Promise<HarmResponse | undefined>;
  listResponses(incidentId: string): Promise<HarmResponse[]>;
  insertCasualty(casualty: Casualty): Promise<void>;
  /** Casualties of an incident; `name` is decrypted only where `names(c)` is true, else null. */
  listCasualties(incidentId: string, names: (c: Casualty) => boolean): Promise<Casualty[]>;
  moveCasualtiesAndResponses(fromIncidentIds: readonly string[], to: string): Promise<void>;
  /**
   * Statistics over the live incidents the viewer may see; only the `parts` asked (all by
   * default) are computed, the others come back empty.
   */
  stats(viewer: Viewer, filter: HarmStatsFilter, parts?: readonly StatsPart[]): Promise<HarmStats>;
  insertLesson(lesson: HarmLesson): Promise<void>;
  /** Lessons the viewer may see, newest first: of one incident, or of all when `incidentId` is null. */
  listLessons(
    viewer: Viewer,
    incidentId: string | null,
    page: PageRequest,
  ): Promise<Page<HarmLesson>>;
  reencrypt(cipher: FieldCipher): Promise<number>;
}

/**
 * The store: one per process, over SQLite or PostgreSQL. Services receive it as an argument and
 * never know which engine is underneath.
 *
 * @example
 * await store.transaction(async (tx) => {
 *   await tx.areas.insertArea(area);
 *   await tx.audit.append({ actor, action: 'area.create', recordType: 'area', recordId: area.id }, now);
 * });
 */
export interface Store {
  readonly kind: StoreKind;
  readonly areas: AreaRepository;
  readonly audit: AuditRepository;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly permissions: PermissionRepository;
  readonly factors: FactorRepository;
  readonly objects: ProtectedObjectRepository;
  readonly releases: ReleaseRepository;
  readonly screenings: ScreeningRepository;
  readonly effectClasses: EffectClassRepository;
  readonly harm: HarmRepository;
  /** The cipher sensitive fields are encrypted with. */
  readonly cipher: FieldCipher;
  /** Runs `work` in one database transaction: all of it is written, or none. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** Throws `database_unavailable` when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Writes a consistent copy of the whole database to `file` while it stays online (SQLite's
   * backup API); PostgreSQL deployments use pg_dump (docs/security.md).
   */
  backup(file: string): Promise<void>;
  /** The Kysely instance, for migrations and tests. */
  readonly db: Kysely<Database>;
}
