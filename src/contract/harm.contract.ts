import { z } from 'zod';
import {
  AssessmentGrade,
  CivilianStatus,
  HarmCause,
  Party,
  ResponseStatus,
} from '../domain/harm/harm-codes.js';
import {
  assessmentSchema,
  damagedObjectSchema,
  estimateSchema,
  harmDateSchema,
  harmLocationSchema,
  newCasualtySchema,
  newHarmReportSchema,
  newLessonSchema,
  newResponseSchema,
} from '../domain/harm/harm.js';
import {
  ageGroupSchema,
  crossCuttingTopicSchema,
  markingSchema,
  sexSchema,
} from '../domain/taxonomy/index.js';
import { pageSchema } from './common.contract.js';

const dayQuery = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const audit = {
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
};

/** `POST /api/harm/reports`: a new report of civilian harm. */
export const createHarmReportBodySchema = newHarmReportSchema;

/**
 * A report as the API shows it. `reporterContact` and `narrative.confidential` are empty for
 * anyone without `harm_reporter` read, and always empty in lists.
 */
export const harmReportSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  sourceType: newHarmReportSchema.shape.sourceType,
  reliability: newHarmReportSchema.shape.reliability,
  sourceName: z.string(),
  sourceRef: z.string().nullable(),
  sources: z.array(z.object({ name: z.string(), date: z.string(), title: z.string() })),
  receivedAt: z.string(),
  reporterContact: z.string(),
  location: harmLocationSchema,
  date: harmDateSchema,
  narrative: z.object({ confidential: z.string(), releasable: z.string() }),
  killed: estimateSchema,
  injured: estimateSchema,
  killedBreakdown: z.object({
    sex: z.partialRecord(sexSchema, z.number()),
    age: z.partialRecord(ageGroupSchema, z.number()),
  }),
  injuredBreakdown: z.object({
    sex: z.partialRecord(sexSchema, z.number()),
    age: z.partialRecord(ageGroupSchema, z.number()),
  }),
  cause: HarmCause.schema,
  suspectedParty: Party.schema,
  damagedObjects: z.array(damagedObjectSchema),
  topics: z.array(crossCuttingTopicSchema),
  marking: markingSchema,
  warnings: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
  ...audit,
});
export type HarmReportView = z.infer<typeof harmReportSchema>;
export const harmReportListSchema = pageSchema(harmReportSchema);

export const harmReportQuerySchema = z
  .object({
    incidentId: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** An incident's breakdown: per sex and age group any report gives, low/best/high. */
export const breakdownEstimateSchema = z.object({
  sex: z.partialRecord(sexSchema, estimateSchema),
  age: z.partialRecord(ageGroupSchema, estimateSchema),
});

/** An incident with its reconciled figures and assessment. */
export const harmIncidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  location: harmLocationSchema,
  date: harmDateSchema,
  cause: HarmCause.schema,
  killed: estimateSchema,
  injured: estimateSchema,
  killedBreakdown: breakdownEstimateSchema,
  injuredBreakdown: breakdownEstimateSchema,
  reportCount: z.number().int(),
  assessment: assessmentSchema
    .extend({ assessedAt: z.string(), assessedBy: z.string() })
    .nullable(),
  marking: markingSchema,
  topics: z.array(crossCuttingTopicSchema),
  ...audit,
});
export type HarmIncidentView = z.infer<typeof harmIncidentSchema>;
export const harmIncidentListSchema = pageSchema(harmIncidentSchema);

/** Filters shared by incident lists and statistics. */
export const harmStatsQuerySchema = z
  .object({
    from: dayQuery.optional(),
    to: dayQuery.optional(),
    area: z.string().trim().min(1).max(200).optional(),
    grade: AssessmentGrade.schema.optional(),
    topic: crossCuttingTopicSchema.optional(),
  })
  .strict();

/** `GET /api/harm/export`: the incidents you may see as a file. */
export const harmExportQuerySchema = harmStatsQuerySchema
  .extend({ format: z.enum(['csv', 'hxl', 'geojson']) })
  .strict();

export const harmIncidentQuerySchema = harmStatsQuerySchema
  .extend({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** `PUT /api/harm/incidents/:id/assessment`. */
export const assessmentBodySchema = assessmentSchema;

/** `POST /api/harm/incidents/:id/merge`: incidents to merge into this one. */
export const mergeBodySchema = z
  .object({ incidentIds: z.array(z.string().min(1).max(100)).min(1).max(100) })
  .strict();

/** `POST /api/harm/incidents/:id/split`: reports to split off into a new incident. */
export const splitBodySchema = z
  .object({ reportIds: z.array(z.string().min(1).max(100)).min(1).max(1000) })
  .strict();
export const splitResultSchema = z.object({ kept: harmIncidentSchema, split: harmIncidentSchema });

/** A candidate pair, with both reports (as lists show them). */
export const harmCandidateSchema = z.object({
  id: z.string(),
  reportA: z.string(),
  reportB: z.string(),
  score: z.number(),
  distanceKm: z.number(),
  dayGap: z.number().int(),
  status: z.enum(['open', 'accepted', 'rejected']),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export const harmCandidateListSchema = pageSchema(
  harmCandidateSchema.extend({ reports: z.array(harmReportSchema) }),
);
export const harmCandidateQuerySchema = z
  .object({
    status: z.enum(['open', 'accepted', 'rejected']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export const findCandidatesResultSchema = z.object({ added: z.number().int() });

/** `POST /api/harm/incidents/:id/responses`. */
export const createResponseBodySchema = newResponseSchema;
export const updateResponseBodySchema = z
  .object({
    status: ResponseStatus.schema.optional(),
    dueDate: dayQuery.nullable().optional(),
    note: z.string().max(10_000).optional(),
  })
  .strict();
export const harmResponseSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  type: z.string(),
  status: z.string(),
  dueDate: z.string().nullable(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  recipientRef: z.string(),
  note: z.string(),
  ...audit,
});

/** `POST /api/harm/incidents/:id/casualties`. */
export const createCasualtyBodySchema = newCasualtySchema;
/** A casualty; `name` is null for anyone without need-to-know. */
export const casualtySchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  name: z.string().nullable(),
  sex: sexSchema,
  ageYears: z.number().int().nullable(),
  ageGroup: ageGroupSchema,
  civilianStatus: CivilianStatus.schema,
  outcome: z.enum(['KILLED', 'INJURED']),
  date: z.string().nullable(),
  place: z.string(),
  marking: markingSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});

/** Sums of estimates: no upper bound, unlike one report's. */
const total = z.object({ low: z.number().int(), best: z.number().int(), high: z.number().int() });
const statsGroup = z.object({
  key: z.string(),
  incidents: z.number().int(),
  reports: z.number().int(),
  killed: total,
  injured: total,
});
const breakdownGroup = z.object({
  key: z.string(),
  /** Incidents with anyone (killed or injured, high figure) in this group. */
  incidents: z.number().int(),
  killed: total,
  injured: total,
});
/** `GET /api/harm/stats`: civilians killed and injured, overall and by group. */
export const harmStatsSchema = z.object({
  incidents: z.number().int(),
  reports: z.number().int(),
  killed: total,
  injured: total,
  byMonth: z.array(statsGroup),
  byArea: z.array(statsGroup),
  byCause: z.array(statsGroup),
  byAttribution: z.array(statsGroup),
  /** By ISO week of the incident's first day, `2024-W05`. */
  byWeek: z.array(statsGroup),
  /** FEMALE, MALE, UNKNOWN, then UNRECORDED (the part of the totals no report breaks down). */
  bySex: z.array(breakdownGroup),
  /** CHILD, ADULT, OLDER, UNKNOWN, then UNRECORDED. */
  byAge: z.array(breakdownGroup),
});

/** `GET /api/harm/incidents/:id/screenings`: saved screenings whose aimpoints and time fit. */
export const incidentScreeningsSchema = z.object({
  rule: z.object({
    precisionRadiusKm: z.number(),
    toleranceKm: z.number(),
    daysBefore: z.number().int(),
    daysAfter: z.number().int(),
  }),
  reported: z.object({ killed: estimateSchema, injured: estimateSchema }),
  items: z.array(
    z.object({
      screeningId: z.string(),
      title: z.string(),
      planReference: z.string().nullable(),
      createdAt: z.string(),
      marking: markingSchema,
      aimpoints: z.array(
        z.object({
          id: z.string(),
          lon: z.number(),
          lat: z.number(),
          radiusM: z.number(),
          distanceM: z.number(),
          estimated: z.object({
            population: z.number().nullable(),
            hits: z.number().int(),
            withheldHits: z.number().int(),
            flags: z.array(z.string()),
          }),
        }),
      ),
    }),
  ),
});

/** Damaged objects of reports and the register objects they were matched to. */
export const damagedObjectMatchListSchema = z.object({
  items: z.array(
    z.object({
      reportId: z.string(),
      index: z.number().int(),
      description: z.string(),
      category: z.string().nullable(),
      match: z
        .object({
          objectId: z.string(),
          name: z.string(),
          category: z.string(),
          list: z.string().nullable(),
          distanceM: z.number().nullable(),
          by: z.enum(['id', 'nearest']),
        })
        .nullable(),
    }),
  ),
});

/** `POST /api/harm/incidents/:id/lessons`. */
export const createLessonBodySchema = newLessonSchema;
export const harmLessonSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  title: z.string(),
  observation: z.string(),
  marking: markingSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});
export const harmLessonListSchema = pageSchema(harmLessonSchema);
export const harmLessonQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
