// Response shapes of the Civitas HTTP API as the web app reads them: the server's own types from
// src/contract/ (type-only, so no server code reaches the bundle), narrowed where the web app
// relies on more than the contract promises on the wire (GeoJSON coordinates are numbers).
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { z } from 'zod';
import type {
  AreaDetail as ContractAreaDetail,
  AreaSummary,
  AuditEventView,
  AuditVerifyView,
  FactorView,
  HealthResponse,
  ProtectedObjectView,
  ReleaseView,
  importReportSchema,
  releaseDiffSchema,
  Me as ContractMe,
  Page,
  UserView,
  createFactorBodySchema,
  EffectClassView,
  AimpointView,
  ScreeningView,
  ScreeningSummaryView,
  parseAimpointsResultSchema,
  factorMatrixSchema,
  PlaceCollection as ContractPlaceCollection,
  RegionCollection as ContractRegionCollection,
  TaxonomiesResponse,
  UnitCollection as ContractUnitCollection,
  HarmIncidentView,
  HarmReportView,
  casualtySchema,
  harmCandidateListSchema,
  harmResponseSchema,
  harmStatsSchema,
  createHarmReportBodySchema,
  createResponseBodySchema,
} from '../../src/contract/index.js';

export type { AreaSummary, Page };

/** `GET /api/health`. */
export type Health = HealthResponse;

/** `GET /api/taxonomies`: code lists by name (`classification`, `releasability`, ...). */
export type Taxonomies = TaxonomiesResponse;

/** One entry of a code list; lists add their own fields (`order`, `bannerBackground`, ...). */
export type TaxonomyEntry = NonNullable<Taxonomies[string]>[number];

/** A record's security marking: classification plus releasability list. */
export type Marking = AreaSummary['marking'];

/** NATO classification codes, lowest to highest: NU, NR, NC, NS, CTS. */
export type ClassificationCode = Marking['classification'];

/** `[minLon, minLat, maxLon, maxLat]` in WGS 84. */
export type BBox = AreaSummary['bbox'];

/** `GET /api/areas/:id`, with its outline read as GeoJSON. */
export type AreaDetail = Omit<ContractAreaDetail, 'outline'> & { outline: Polygon | MultiPolygon };

/** Properties of a feature of `GET /api/areas/:id/regions`. */
export type RegionProperties = ContractRegionCollection['features'][number]['properties'];

/** Properties of a feature of `GET /api/areas/:id/places`. */
export type PlaceProperties = ContractPlaceCollection['features'][number]['properties'];

/** Properties of a feature of `GET /api/areas/:id/units`. */
export type UnitProperties = ContractUnitCollection['features'][number]['properties'];

export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProperties>;
/** Places in the requested bbox, up to the limit; `total` counts all that matched. */
export type PlaceCollection = FeatureCollection<Point, PlaceProperties> & { total: number };
export type UnitCollection = FeatureCollection<Point, UnitProperties>;

/** `GET /api/auth/me`: the signed-in user, with the (record type, action) pairs their role allows. */
export type Me = ContractMe;

/** A user account as `GET /api/users` lists it (administrators only). */
export type UserAccount = UserView;

/** One event of the audit trail (`GET /api/audit`). */
export type AuditEvent = AuditEventView;

/** `GET /api/audit/verify`: whether the audit hash chain is intact, and where it broke. */
export type AuditVerify = AuditVerifyView;

/** A human security factor: one entry of an area's PMESII × ASCOPE analysis. */
export type Factor = FactorView;

/** `GET /api/areas/:id/factors/matrix`: visible factors per cell, hidden ones as aggregates. */
export type FactorMatrix = z.infer<typeof factorMatrixSchema>;

/** `POST /api/areas/:id/factors` body. */
export type NewFactorBody = z.input<typeof createFactorBodySchema>;

/** A compartment code (`CRSV`, `CHILD-IDENTITY`). */
export type CompartmentCode = Me['compartments'][number];

/** A releasability code (`NATO`, `EU`, `UN`, ...). */
export type ReleasabilityCode = Marking['releasability'][number];

/** A protected object of the register (`GET /api/objects`, `GET /api/objects/:id`). */
export type ProtectedObject = ProtectedObjectView;

/** A protected-object category code (`cultural`, `medical`, ...). */
export type ObjectCategoryCode = ProtectedObject['category'];

/** A target-list code: `NSL` (no-strike list) or `RTL` (restricted target list). */
export type ListCode = NonNullable<ProtectedObject['list']>;

/** One entry of `GET /api/objects/:id/history`. */
export interface ObjectHistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** What `POST /api/objects/import` did (200), or the bad items that stopped it (422). */
export type ImportReport = z.infer<typeof importReportSchema>;

/** A release of the NSL/RTL: a frozen snapshot with its author, approver and marking. */
export type Release = ReleaseView;

/** `GET /api/releases/:id/diff`: what changed since the release before it. */
export type ReleaseDiff = z.infer<typeof releaseDiffSchema>;

/**
 * An RFC 9457 problem document. The server always sends `detail` and `code`; problems the client
 * makes itself (network down, unreadable answer) may lack them.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  instance?: string;
  errors?: ProblemError[];
}

/**
 * One entry of a problem's `errors`: the field's path and what is wrong; planner input problems
 * also name the line (text, CSV), the feature (GeoJSON, 1 = first) and the field.
 */
export interface ProblemError {
  path: string;
  message: string;
  line?: number;
  feature?: number;
  field?: string;
}

/** A named effect radius of this deployment (`GET /api/effect-classes`). */
export type EffectClass = EffectClassView;

/** A planned aimpoint, as `POST /api/screenings/parse` reads it from the planner's input. */
export type Aimpoint = AimpointView;

/** `POST /api/screenings/parse` answer: the format read, the aimpoints and any warnings. */
export type ParsedAimpoints = z.infer<typeof parseAimpointsResultSchema>;

/** A saved screening with the aimpoints and hits the reader may see. */
export type Screening = ScreeningView;

/** A saved screening as lists show it (`GET /api/screenings`). */
export type ScreeningSummary = ScreeningSummaryView;

/** A report of civilian harm; `reporterContact` and the confidential narrative are empty without need-to-know. */
export type HarmReport = HarmReportView;

/** `POST /api/harm/reports` body. */
export type NewHarmReportBody = z.input<typeof createHarmReportBodySchema>;

/** An incident: its reports' reconciled figures, and the analyst's assessment. */
export type HarmIncident = HarmIncidentView;

/** A candidate pair of reports that may be one event, with both reports. */
export type HarmCandidate = z.infer<typeof harmCandidateListSchema>['items'][number];

/** A response to an incident (acknowledgement, apology, payment, assistance, referral). */
export type HarmResponse = z.infer<typeof harmResponseSchema>;

/** `POST /api/harm/incidents/:id/responses` body. */
export type NewHarmResponseBody = z.input<typeof createResponseBodySchema>;

/** One person killed or injured; `name` is null without need-to-know. */
export type Casualty = z.infer<typeof casualtySchema>;

/**
 * `GET /api/harm/stats`. `bySex` and `byAge` are read when the server sends them (newer
 * servers); the dashboard hides their charts otherwise.
 */
export type HarmStats = z.infer<typeof harmStatsSchema> & {
  bySex?: Omit<HarmStatsGroup, 'reports'>[];
  byAge?: Omit<HarmStatsGroup, 'reports'>[];
};

/** Figures for one group of incidents (a month, an area, a cause, ...). */
export type HarmStatsGroup = z.infer<typeof harmStatsSchema>['byMonth'][number];
