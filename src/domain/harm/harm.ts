import { z } from 'zod';
import {
  ageGroupSchema,
  crossCuttingTopicSchema,
  datePrecisionSchema,
  locationPrecisionSchema,
  markingSchema,
  sexSchema,
  type Marking,
} from '../taxonomy/index.js';
import {
  AssessmentGrade,
  CivilianStatus,
  HarmCause,
  HarmSourceType,
  InvestigationStatus,
  Party,
  ResponseStatus,
  ResponseType,
  SourceReliability,
} from './harm-codes.js';
import { ObjectCategory } from '../protected-object/protected-object.js';

const count = z.number().int().min(0).max(1_000_000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const isoDateTime = z.string().datetime({ offset: true });

/**
 * An incident's breakdown by sex and by age group: for each key any of its reports describes,
 * low/best/high reconciled across those reports (see `reconcileBreakdown`). A key no report
 * describes is absent (not zero).
 */
export interface BreakdownEstimate {
  readonly sex: Partial<Record<z.infer<typeof sexSchema>, Estimate>>;
  readonly age: Partial<Record<z.infer<typeof ageGroupSchema>, Estimate>>;
}

/**
 * A number of people as three estimates, after UCDP: `low` the smallest credible count, `best`
 * the most likely, `high` the largest credible count. low ≤ best ≤ high is checked by
 * {@link checkReport}, which names the field.
 *
 * @example
 * estimateSchema.parse({ low: 2, best: 3, high: 5 });
 */
export const estimateSchema = z.object({ low: count, best: count, high: count }).strict();
export type Estimate = z.infer<typeof estimateSchema>;

/** Zero people. */
export const NO_ONE: Estimate = Object.freeze({ low: 0, best: 0, high: 0 });

/**
 * How the best estimate of killed or injured divides by sex and by age group. Each division may
 * be partial (some people not yet described) and need not add up to the total.
 *
 * @example
 * breakdownSchema.parse({ sex: { FEMALE: 2 }, age: { CHILD: 1, ADULT: 1 } });
 */
export const breakdownSchema = z
  .object({
    sex: z.partialRecord(sexSchema, count).default({}),
    age: z.partialRecord(ageGroupSchema, count).default({}),
  })
  .strict();
export type Breakdown = z.infer<typeof breakdownSchema>;

/**
 * Where a report places the harm: a point, how far it can be trusted (UCDP `where_prec` 1–7),
 * and the administrative area (P-code and/or name) when known.
 *
 * @example
 * harmLocationSchema.parse({ lon: 30.52, lat: 50.45, precision: 'EXACT', adminCode: 'UA80', adminName: 'Kyiv', place: 'Maidan' });
 */
export const harmLocationSchema = z
  .object({
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    precision: locationPrecisionSchema,
    adminCode: z.string().trim().max(40).nullable().default(null),
    adminName: z.string().trim().max(200).nullable().default(null),
    place: z.string().max(500).default(''),
  })
  .strict();
export type HarmLocation = z.infer<typeof harmLocationSchema>;

/**
 * When the harm happened: the first and last day it may have happened (inclusive) and how
 * precisely that is known (UCDP `date_prec` 1–5).
 *
 * @example
 * harmDateSchema.parse({ start: '2022-03-01', end: '2022-03-03', precision: 'DAYS' });
 */
export const harmDateSchema = z
  .object({ start: isoDate, end: isoDate, precision: datePrecisionSchema })
  .strict();
export type HarmDate = z.infer<typeof harmDateSchema>;

/** One source cited by a report (a dataset's source_* fields, an article, a message). */
export const harmSourceSchema = z
  .object({
    name: z.string().max(500),
    date: z.string().max(40).default(''),
    title: z.string().max(2000).default(''),
  })
  .strict();
export type HarmSource = z.infer<typeof harmSourceSchema>;

/**
 * A civilian object a report says was damaged or destroyed: what it was, its kind when known,
 * and where it was — by a protected-objects register id when the reporter knew it, else by a
 * point. Civitas matches it to the register (docs/harm.md).
 *
 * @example
 * damagedObjectSchema.parse({ description: 'School No. 12, roof destroyed', category: 'education', lon: 36.23, lat: 49.99 });
 */
export const damagedObjectSchema = z
  .object({
    description: z.string().trim().min(1).max(2000),
    category: ObjectCategory.schema.nullable().default(null),
    objectId: z.string().trim().min(1).max(200).nullable().default(null),
    lon: z.number().min(-180).max(180).nullable().default(null),
    lat: z.number().min(-90).max(90).nullable().default(null),
  })
  .strict()
  .refine((o) => (o.lon === null) === (o.lat === null), {
    message: 'give both lon and lat, or neither',
    path: ['lon'],
  });
export type DamagedObject = z.infer<typeof damagedObjectSchema>;

/**
 * A new report of civilian harm as a caller supplies it. `reporterContact` and
 * `narrative.confidential` are sensitive: encrypted at rest and never in exports.
 *
 * @example
 * newHarmReportSchema.parse({ sourceType: 'MEDIA', reliability: 'C', receivedAt: '2024-05-02T10:00:00Z', … });
 */
export const newHarmReportSchema = z
  .object({
    sourceType: HarmSourceType.schema,
    reliability: SourceReliability.schema,
    sourceName: z.string().trim().min(1).max(200),
    sourceRef: z.string().trim().max(200).nullable().default(null),
    sources: z.array(harmSourceSchema).max(200).default([]),
    receivedAt: isoDateTime,
    reporterContact: z.string().max(2000).default(''),
    location: harmLocationSchema,
    date: harmDateSchema,
    narrative: z
      .object({
        confidential: z.string().max(20_000).default(''),
        releasable: z.string().max(20_000).default(''),
      })
      .strict(),
    killed: estimateSchema,
    injured: estimateSchema,
    killedBreakdown: breakdownSchema.default({ sex: {}, age: {} }),
    injuredBreakdown: breakdownSchema.default({ sex: {}, age: {} }),
    cause: HarmCause.schema,
    suspectedParty: Party.schema,
    damagedObjects: z.array(damagedObjectSchema).max(100).default([]),
    topics: z.array(crossCuttingTopicSchema).max(10).default([]),
    marking: markingSchema,
  })
  .strict();
export type NewHarmReport = z.infer<typeof newHarmReportSchema>;

/** A warning recorded on a report accepted as it was: a code and the field it concerns. */
export interface HarmWarning {
  readonly code: HarmWarningCode;
  readonly path: string;
  readonly message: string;
}

/** The conditions a report is accepted with, but flagged (docs/harm.md says why). */
export type HarmWarningCode =
  | 'breakdown_exceeds_best'
  | 'date_span_exceeds_precision'
  | 'outside_admin_area'
  | 'received_long_after'
  | 'source_estimates_inconsistent';

/**
 * A report of civilian harm, as stored. It belongs to exactly one incident (a report nobody has
 * correlated yet is the only report of its own incident).
 */
export interface HarmReport extends NewHarmReport {
  readonly id: string;
  readonly incidentId: string;
  readonly warnings: readonly HarmWarning[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * An assessment of an incident: the grade (docs/harm.md), who the harm is attributed to, and
 * where any investigation stands.
 *
 * @example
 * assessmentSchema.parse({ grade: 'FAIR', attribution: 'UNKNOWN', investigation: 'INITIAL-REVIEW', rationale: 'Two NGOs' });
 */
export const assessmentSchema = z
  .object({
    grade: AssessmentGrade.schema,
    attribution: Party.schema,
    investigation: InvestigationStatus.schema,
    rationale: z.string().max(10_000).default(''),
  })
  .strict();
export type AssessmentInput = z.infer<typeof assessmentSchema>;

/** An assessment with who made it and when. */
export interface Assessment extends AssessmentInput {
  readonly assessedAt: string;
  readonly assessedBy: string;
}

/**
 * An incident: one event of civilian harm, with every report of it. Location, date, cause and
 * the reconciled figures are derived from its reports (see {@link reconcile}); the title,
 * assessment and marking are the analyst's.
 */
export interface HarmIncident {
  readonly id: string;
  readonly title: string;
  readonly location: HarmLocation;
  readonly date: HarmDate;
  readonly cause: HarmCause;
  readonly killed: Estimate;
  readonly injured: Estimate;
  readonly reportCount: number;
  /** How the killed divide by sex and age group, each key reconciled across the reports. */
  readonly killedBreakdown: BreakdownEstimate;
  /** How the injured divide, likewise. */
  readonly injuredBreakdown: BreakdownEstimate;
  readonly assessment: Assessment | null;
  readonly marking: Marking;
  readonly topics: readonly z.infer<typeof crossCuttingTopicSchema>[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * A response to an incident. Payments need an amount and an ISO 4217 currency; others must not
 * carry one. `recipientRef` points to the recipient in a register kept outside Civitas; it is
 * encrypted at rest.
 *
 * @example
 * newResponseSchema.parse({ type: 'CONDOLENCE', status: 'PLANNED', dueDate: '2024-06-01', amount: 2500, currency: 'USD', recipientRef: 'R-17' });
 */
export const newResponseSchema = z
  .object({
    type: ResponseType.schema,
    status: ResponseStatus.schema.default('PLANNED'),
    dueDate: isoDate.nullable().default(null),
    amount: z.number().positive().max(1e9).nullable().default(null),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or EUR')
      .nullable()
      .default(null),
    recipientRef: z.string().max(200).default(''),
    note: z.string().max(10_000).default(''),
  })
  .strict()
  .superRefine((r, ctx) => {
    const payment = ResponseType.get(r.type).payment;
    if (payment && (r.amount === null || r.currency === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [r.amount === null ? 'amount' : 'currency'],
        message: `a ${ResponseType.label(r.type).toLowerCase()} needs an amount and a currency`,
      });
    }
    if (!payment && (r.amount !== null || r.currency !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `a ${ResponseType.label(r.type).toLowerCase()} is not a payment: leave amount and currency empty`,
      });
    }
  });
export type NewResponse = z.infer<typeof newResponseSchema>;

/** A stored response. */
export interface HarmResponse extends NewResponse {
  readonly id: string;
  readonly incidentId: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/**
 * One person killed or injured, after casualty-recording standards. The name is optional and
 * encrypted; who may see it is decided by permission (`casualty_name`) and, for children, by
 * the CHILD-IDENTITY compartment (docs/harm.md).
 *
 * @example
 * newCasualtySchema.parse({ name: '', sex: 'FEMALE', ageYears: 9, civilianStatus: 'CIVILIAN', outcome: 'INJURED', date: '2024-05-01', place: 'Market' });
 */
export const newCasualtySchema = z
  .object({
    name: z.string().max(300).default(''),
    sex: sexSchema,
    ageYears: z.number().int().min(0).max(130).nullable().default(null),
    ageGroup: ageGroupSchema.optional(),
    civilianStatus: CivilianStatus.schema,
    outcome: z.enum(['KILLED', 'INJURED']),
    date: isoDate.nullable().default(null),
    place: z.string().max(500).default(''),
  })
  .strict();
export type NewCasualty = z.input<typeof newCasualtySchema>;

/** A stored casualty; `name` is null for anyone without need-to-know. */
export interface Casualty {
  readonly id: string;
  readonly incidentId: string;
  readonly name: string | null;
  readonly sex: z.infer<typeof sexSchema>;
  readonly ageYears: number | null;
  readonly ageGroup: z.infer<typeof ageGroupSchema>;
  readonly civilianStatus: CivilianStatus;
  readonly outcome: 'KILLED' | 'INJURED';
  readonly date: string | null;
  readonly place: string;
  readonly marking: Marking;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A candidate pair of reports that may describe the same event. */
export interface HarmCandidate {
  readonly id: string;
  readonly reportA: string;
  readonly reportB: string;
  readonly score: number;
  readonly distanceKm: number;
  readonly dayGap: number;
  readonly status: 'open' | 'accepted' | 'rejected';
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

/** Figures for one group of incidents (a month, an area, a cause, an attribution). */
export interface HarmStatsGroup {
  readonly key: string;
  readonly incidents: number;
  readonly reports: number;
  readonly killed: Estimate;
  readonly injured: Estimate;
}

/**
 * Civilian harm in figures: incidents, their reports, and civilians killed and injured as
 * low/best/high sums of the incidents' reconciled figures, overall and per group.
 *
 * @example
 * stats.killed.best; // civilians killed, best estimate, over every incident that matched
 */
export interface HarmStats {
  readonly incidents: number;
  readonly reports: number;
  readonly killed: Estimate;
  readonly injured: Estimate;
  readonly byMonth: readonly HarmStatsGroup[];
  readonly byArea: readonly HarmStatsGroup[];
  readonly byCause: readonly HarmStatsGroup[];
  readonly byAttribution: readonly HarmStatsGroup[];
  /** By ISO week of the incident's first day (`2024-W05`). */
  readonly byWeek: readonly HarmStatsGroup[];
  /** Civilians killed and injured by sex: every sex, then `UNRECORDED` (docs/harm.md). */
  readonly bySex: readonly HarmBreakdownGroup[];
  /** By age group: every group, then `UNRECORDED`. */
  readonly byAge: readonly HarmBreakdownGroup[];
}

/**
 * Killed and injured of one sex or age group, summed over incidents, and how many incidents
 * have anyone (killed or injured, by the high estimate) in it.
 */
export interface HarmBreakdownGroup {
  readonly key: string;
  readonly incidents: number;
  readonly killed: Estimate;
  readonly injured: Estimate;
}

/**
 * Which incidents statistics cover: start date within [from, to], in an admin area, with an
 * assessment grade, about a cross-cutting topic.
 */
export interface HarmStatsFilter {
  readonly from?: string;
  readonly to?: string;
  /** An admin P-code, or the admin name for incidents that have no P-code. */
  readonly area?: string;
  readonly grade?: string;
  /** A cross-cutting topic code the incident's reports are tagged with. */
  readonly topic?: string;
}

/**
 * A lesson raised from an incident: what was observed, for the lessons-learned process to take
 * up. Minimal on purpose: title, observation, the incident, a marking, author and time.
 *
 * @example
 * newLessonSchema.parse({ title: 'Market days', observation: 'Strikes near markets on market days…', marking });
 */
export const newLessonSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    observation: z.string().trim().min(1).max(20_000),
    marking: markingSchema,
  })
  .strict();
export type NewLesson = z.infer<typeof newLessonSchema>;

/** A stored lesson. */
export interface HarmLesson extends NewLesson {
  readonly id: string;
  readonly incidentId: string;
  readonly createdAt: string;
  readonly createdBy: string;
}
