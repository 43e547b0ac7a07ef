// Code lists on screen: the entries the server sends (`GET /api/taxonomies`), falling back to the
// domain's own lists while they load or when the server does not send a list, so a code always
// has a label and forms always have their options.
import './zod-config.js';
import { Compartment, Role } from '../../src/domain/access/role.js';
import {
  ListKind,
  ObjectCategory,
  ProtectionBasis,
} from '../../src/domain/protected-object/protected-object.js';
import { TAXONOMIES } from '../../src/domain/taxonomy/index.js';
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
} from '../../src/domain/harm/harm-codes.js';
import type { Taxonomies, TaxonomyEntry } from './contract.js';

const local: Record<string, readonly TaxonomyEntry[]> = {
  ...Object.fromEntries(Object.entries(TAXONOMIES).map(([name, list]) => [name, list.entries])),
  compartment: Compartment.entries,
  role: Role.entries,
  objectCategory: ObjectCategory.entries,
  protectionBasis: ProtectionBasis.entries,
  listKind: ListKind.entries,
  harmSourceType: HarmSourceType.entries,
  sourceReliability: SourceReliability.entries,
  harmCause: HarmCause.entries,
  harmParty: Party.entries,
  harmGrade: AssessmentGrade.entries,
  harmInvestigation: InvestigationStatus.entries,
  harmResponse: ResponseType.entries,
  harmResponseStatus: ResponseStatus.entries,
  civilianStatus: CivilianStatus.entries,
};

/**
 * The entries of a code list, in their canonical order.
 *
 * @example codeEntries(taxonomies, 'pmesiiDomain').map((e) => e.code);
 */
export function codeEntries(taxonomies: Taxonomies | null, name: string): readonly TaxonomyEntry[] {
  const served = taxonomies?.[name];
  return served && served.length > 0 ? served : (local[name] ?? []);
}

/**
 * The label of a code, or the code itself when the list does not know it.
 *
 * @example codeLabel(taxonomies, 'ascopeCategory', 'PEOPLE'); // 'People'
 */
export function codeLabel(taxonomies: Taxonomies | null, name: string, code: string): string {
  return codeEntries(taxonomies, name).find((e) => e.code === code)?.label ?? code;
}

/**
 * The description of a code (for hints), or an empty string.
 *
 * @example codeDescription(taxonomies, 'crossCuttingTopic', 'CRSV');
 */
export function codeDescription(taxonomies: Taxonomies | null, name: string, code: string): string {
  return codeEntries(taxonomies, name).find((e) => e.code === code)?.description ?? '';
}
