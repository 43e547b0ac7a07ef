// The rules a new human security factor must meet, checked as the user types, with the same
// limits as the API (src/contract/factor.contract.ts `createFactorBodySchema`) and the same
// marking rules (src/domain/taxonomy/marking.ts `markingSchema`; the service refuses a marking the
// author could not read back, and a compartment the author is not in). The server checks again;
// its field errors are mapped back onto the fields by `fieldOfPath`.
import './zod-config.js';
import { isClassificationAtMost, markingSchema } from '../../src/domain/taxonomy/index.js';
import type {
  AreaSummary,
  ClassificationCode,
  Me,
  NewFactorBody,
  ReleasabilityCode,
} from './contract.js';
import { t } from './i18n.js';

/** Limits of the API's `createFactorBodySchema`. */
export const factorLimits = { title: 200, summary: 4000, details: 20_000, topics: 10 } as const;

/** A factor being written: every field as the form holds it (empty string = not chosen). */
export interface FactorDraft {
  title: string;
  summary: string;
  details: string;
  pmesii: string;
  ascope: string;
  regionId: string;
  topics: string[];
  classification: string;
  releasability: string[];
  compartment: string;
}

/** The fields of the form, in the order they appear (the first invalid one takes focus). */
export const factorFields = [
  'title',
  'pmesii',
  'ascope',
  'regionId',
  'topics',
  'summary',
  'details',
  'classification',
  'releasability',
  'compartment',
] as const;
export type FactorField = (typeof factorFields)[number];

/** What is wrong, by field; a field with no entry is fine. */
export type FactorErrors = Partial<Record<FactorField, string>>;

/**
 * A new draft for an area: the area's own marking (as far as the author's clearance allows) and
 * nothing else filled in.
 *
 * @example const draft = newFactorDraft(area, me);
 */
export function newFactorDraft(area: AreaSummary, me: Me): FactorDraft {
  const classification = isClassificationAtMost(area.marking.classification, me.clearance)
    ? area.marking.classification
    : me.clearance;
  return {
    title: '',
    summary: '',
    details: '',
    pmesii: '',
    ascope: '',
    regionId: '',
    topics: [],
    classification,
    releasability: [...area.marking.releasability],
    compartment: '',
  };
}

/**
 * Checks a draft. Messages say what is wrong in the field's words.
 *
 * @example validateFactor(draft, me).title; // 'Give the factor a title.'
 */
export function validateFactor(draft: FactorDraft, me: Me): FactorErrors {
  const errors: FactorErrors = {};
  const title = draft.title.trim();
  if (title === '') errors.title = t('factorForm.titleRequired');
  else if (title.length > factorLimits.title) {
    errors.title = t('factorForm.tooLong', { count: title.length, max: factorLimits.title });
  }
  if (draft.summary.length > factorLimits.summary) {
    errors.summary = t('factorForm.tooLong', {
      count: draft.summary.length,
      max: factorLimits.summary,
    });
  }
  if (draft.details.length > factorLimits.details) {
    errors.details = t('factorForm.tooLong', {
      count: draft.details.length,
      max: factorLimits.details,
    });
  }
  if (draft.pmesii === '') errors.pmesii = t('factorForm.pmesiiRequired');
  if (draft.ascope === '') errors.ascope = t('factorForm.ascopeRequired');
  if (draft.topics.length > factorLimits.topics) {
    errors.topics = t('factorForm.tooManyTopics', { max: factorLimits.topics });
  }

  if (draft.classification === '') {
    errors.classification = t('factorForm.classificationRequired');
  } else if (!isClassificationAtMost(draft.classification as ClassificationCode, me.clearance)) {
    errors.classification = t('factorForm.aboveClearance', { clearance: me.clearance });
  } else {
    const releasability = releasabilityError(draft.classification, draft.releasability, me);
    if (releasability) errors.releasability = releasability;
  }

  if (draft.compartment !== '' && !me.compartments.some((c) => c === draft.compartment)) {
    errors.compartment = t('factorForm.notInCompartment', { compartment: draft.compartment });
  }
  return errors;
}

/**
 * The request body of a draft that passed {@link validateFactor}.
 *
 * @example await apiSend('POST', `/api/areas/${id}/factors`, factorBody(draft));
 */
export function factorBody(draft: FactorDraft): NewFactorBody {
  return {
    regionId: draft.regionId === '' ? null : draft.regionId,
    pmesii: draft.pmesii as NewFactorBody['pmesii'],
    ascope: draft.ascope as NewFactorBody['ascope'],
    topics: draft.topics as NewFactorBody['topics'],
    title: draft.title.trim(),
    summary: draft.summary,
    details: draft.details,
    marking: {
      classification: draft.classification as ClassificationCode,
      releasability: draft.releasability as ReleasabilityCode[],
    },
    compartment:
      draft.compartment === '' ? null : (draft.compartment as Me['compartments'][number]),
  };
}

/**
 * What is wrong with a marking's releasability for its author, or null: the API's marking rules,
 * and the server's refusal of a marking its author could not read back.
 *
 * @example releasabilityError('NU', ['EU'], me); // 'Include one of your own …' for a UN user
 */
export function releasabilityError(
  classification: string,
  releasability: readonly string[],
  me: Me,
): string | null {
  const parsed = markingSchema.safeParse({ classification, releasability });
  if (!parsed.success) return parsed.error.issues[0]?.message ?? t('factorForm.invalidMarking');
  if (
    !me.organisations.includes('NATO') &&
    !releasability.some(
      (code) => code === 'PUBLIC' || me.organisations.includes(code as ReleasabilityCode),
    )
  ) {
    return t('factorForm.releaseToOwn', { organisations: me.organisations.join(', ') });
  }
  return null;
}

/**
 * The form field a server error path names (`body.title`, `body.marking.releasability.0`), or
 * null when it names none (shown above the buttons instead).
 *
 * @example fieldOfPath('body.marking.classification'); // 'classification'
 */
export function fieldOfPath(path: string): FactorField | null {
  const parts = path
    .split(/[./[\]]+/)
    .filter(Boolean)
    .filter((part, index) => !(index === 0 && part === 'body'));
  const [head, next] = parts;
  if (head === 'marking') return next === 'releasability' ? 'releasability' : 'classification';
  return (factorFields as readonly string[]).includes(head ?? '') ? (head as FactorField) : null;
}
