import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. The same tables exist on SQLite and PostgreSQL; `geom` holds
 * GeoJSON text on SQLite (indexed through an R*Tree over the bbox columns) and a PostGIS
 * `geometry(Geometry, 4326)` on PostgreSQL (GiST-indexed). Read it through `DialectSql.geometryJson`.
 */
export interface AreaTable {
  id: string;
  name: string;
  description: string;
  exercise: boolean | number;
  classification: string;
  releasability: string;
  source: string;
  geom: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  created_at: string;
  created_by: string;
}

/** Columns every spatially indexed table shares. */
export interface SpatialColumns {
  geom: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
}

export interface RegionTable extends SpatialColumns {
  id: string;
  area_id: string;
  name: string;
  code: string;
  source: string;
}

export interface PlaceTable extends SpatialColumns {
  id: string;
  area_id: string;
  name: string;
  kind: string;
  population: number;
  admin_code: string | null;
  source: string;
}

export interface UnitTable extends SpatialColumns {
  id: string;
  area_id: string;
  name: string;
  sidc: string;
  role: string;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  record_type: string;
  record_id: string;
  detail: string;
  before_digest: string | null;
  after_digest: string | null;
  prev_hash: string;
  hash: string;
}

export interface RolePermissionTable {
  role: string;
  record_type: string;
  action: string;
}

export interface UserAccountTable {
  id: string;
  username: string;
  role: string;
  clearance: string;
  organisations: string;
  full_name_enc: string;
  contact_enc: string;
  password_hash: string;
  disabled: boolean | number;
  demo: boolean | number;
  failed_logins: Generated<number>;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface CompartmentGrantTable {
  user_id: string;
  compartment: string;
  granted_at: string;
  granted_by: string;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface FactorTable {
  id: string;
  area_id: string;
  region_id: string | null;
  pmesii: string;
  ascope: string;
  topics: string;
  title: string;
  summary: string;
  details_enc: string;
  classification: string;
  releasability: string;
  compartment: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface ProtectedObjectTable extends SpatialColumns {
  id: string;
  source: string;
  source_ref: string;
  name: string;
  name_latin: string | null;
  search_text: string;
  category: string;
  protection: string;
  buffer_m: number;
  mgrs: string | null;
  topics: string;
  list_kind: string | null;
  restriction: string | null;
  classification: string;
  releasability: string;
  lon: number;
  lat: number;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface ListReleaseTable {
  id: string;
  number: number | null;
  status: string;
  title: string;
  author: string;
  approver: string | null;
  classification: string;
  releasability: string;
  object_count: number;
  created_at: string;
  submitted_at: string | null;
  released_at: string | null;
}

export interface ListReleaseItemTable {
  release_id: string;
  object_id: string;
  item: string;
}

export interface EffectClassTable {
  code: string;
  label: string;
  radius_m: number;
  description: string | null;
  updated_at: string;
  updated_by: string;
}

/** Columns civilian harm reports and incidents share: place, date, cause, figures, marking. */
export interface HarmEventColumns {
  lon: number;
  lat: number;
  location_precision: string;
  admin_code: string | null;
  admin_name: string | null;
  place: string;
  date_start: string;
  date_end: string;
  date_precision: string;
  cause: string;
  killed_low: number;
  killed_best: number;
  killed_high: number;
  injured_low: number;
  injured_best: number;
  injured_high: number;
  topics: string;
  classification: string;
  releasability: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface ScreeningTable {
  id: string;
  title: string;
  plan_reference: string | null;
  release_id: string | null;
  release_number: number | null;
  release_status: string | null;
  created_at: string;
  created_by: string;
  classification: string;
  releasability: string;
  population_threshold: number;
  aimpoint_count: number;
  flagged_count: number;
  hits_classification: string;
  hits_releasability: string;
  result_digest: string;
  result_enc: string;
}

export interface HarmIncidentTable extends HarmEventColumns {
  id: string;
  title: string;
  report_count: number;
  merged_into: string | null;
  grade: string | null;
  attribution: string | null;
  assessment: string | null;
  /** ISO week of date_start (`2024-W05`), for statistics by week. */
  week: string;
  /** The reconciled breakdowns (JSON BreakdownEstimate); their figures are also in columns. */
  killed_breakdown: string;
  injured_breakdown: string;
}

/**
 * A statistics cell (store/harm-stats.ts): sums over the live incidents of one period, area,
 * marking and (for `dim` cause/attribution) key. Its measure columns are listed in
 * `MEASURE_COLUMNS`; only the keys are typed here.
 */
export interface HarmStatsTable {
  kind: string;
  dim: string;
  period: string;
  dim_key: string;
  area: string;
  classification: string;
  releasability: string;
  incidents: number;
}

/** A lesson raised from an incident. */
export interface HarmLessonTable {
  id: string;
  incident_id: string;
  title: string;
  observation: string;
  classification: string;
  releasability: string;
  created_at: string;
  created_by: string;
}

export interface HarmReportTable extends HarmEventColumns {
  id: string;
  incident_id: string;
  source_type: string;
  reliability: string;
  source_name: string;
  source_ref: string | null;
  sources: string;
  received_at: string;
  reporter_contact_enc: string;
  narrative_enc: string;
  narrative_releasable: string;
  killed_breakdown: string;
  injured_breakdown: string;
  suspected_party: string;
  warnings: string;
  /** JSON array of DamagedObject. */
  damaged_objects: string;
}

export interface HarmCandidateTable {
  id: string;
  report_a: string;
  report_b: string;
  score: number;
  distance_km: number;
  day_gap: number;
  status: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface HarmResponseTable {
  id: string;
  incident_id: string;
  type: string;
  status: string;
  due_date: string | null;
  amount: number | null;
  currency: string | null;
  recipient_ref_enc: string;
  note: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface HarmCasualtyTable {
  id: string;
  incident_id: string;
  name_enc: string;
  sex: string;
  age_years: number | null;
  age_group: string;
  civilian_status: string;
  outcome: string;
  date: string | null;
  place: string;
  created_at: string;
  created_by: string;
}

/** Every Civitas table, keyed by name. */
export interface Database {
  area: AreaTable;
  region: RegionTable;
  place: PlaceTable;
  unit: UnitTable;
  audit_event: AuditEventTable;
  role_permission: RolePermissionTable;
  user_account: UserAccountTable;
  compartment_grant: CompartmentGrantTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  factor: FactorTable;
  protected_object: ProtectedObjectTable;
  list_release: ListReleaseTable;
  list_release_item: ListReleaseItemTable;
  effect_class: EffectClassTable;
  screening: ScreeningTable;
  harm_incident: HarmIncidentTable;
  harm_report: HarmReportTable;
  harm_candidate: HarmCandidateTable;
  harm_response: HarmResponseTable;
  harm_casualty: HarmCasualtyTable;
  harm_stats: HarmStatsTable;
  harm_lesson: HarmLessonTable;
}

/** The spatially indexed tables. */
export type SpatialTable = 'area' | 'region' | 'place' | 'unit' | 'protected_object';
