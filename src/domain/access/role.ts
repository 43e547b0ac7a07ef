import { defineCodeList, type CodeOf } from '../taxonomy/code-list.js';

/**
 * The roles a Civitas user can hold. What each may do is data (ROLE_PERMISSIONS, stored in the
 * `role_permission` table), never `if (role === …)` in code.
 *
 * @example
 * Role.label('targeting-officer'); // 'Targeting officer'
 */
export const Role = defineCodeList('role', [
  {
    code: 'admin',
    label: 'Administrator',
    description: 'Manages users, compartments, keys and the audit trail; sees every record type.',
  },
  {
    code: 'hs-adviser',
    label: 'Human security adviser',
    description:
      'Leads the human-environment analysis and the cross-cutting topics; creates and edits analysis records.',
  },
  {
    code: 'cimic-officer',
    label: 'CIMIC officer',
    description: 'Civil-military cooperation staff: records and updates human-environment factors.',
  },
  {
    code: 'targeting-officer',
    label: 'Targeting officer',
    description:
      'Reads the human environment for planning; never sees survivor- or child-identifying data.',
  },
  {
    code: 'legal-adviser',
    label: 'Legal adviser',
    description: 'Reads what a legal review needs; signs off.',
  },
  {
    code: 'analyst',
    label: 'Analyst',
    description: 'Records and analyses human-environment factors.',
  },
  { code: 'trainer', label: 'Trainer', description: 'Builds exercise areas and their scenarios.' },
  {
    code: 'partner',
    label: 'Partner liaison',
    description:
      'UN, EU or NGO liaison: sees only what is released to their organisation, read-only.',
  },
  {
    code: 'viewer',
    label: 'Viewer',
    description: 'Reads what their clearance and releasability allow.',
  },
] as const);
export type Role = CodeOf<typeof Role>;
export const roleSchema = Role.schema;

/**
 * Need-to-know compartments. A record in a compartment does not exist for anyone outside it.
 *
 * @example
 * Compartment.is('CRSV'); // true
 */
export const Compartment = defineCodeList('compartment', [
  {
    code: 'CRSV',
    label: 'Conflict-related sexual violence',
    description:
      'Survivor-related records: only named focal points inside the compartment see them.',
  },
  {
    code: 'CHILD-IDENTITY',
    label: 'Child identity',
    description:
      'Records that could identify a child: only named child-protection focal points see them.',
  },
] as const);
export type Compartment = CodeOf<typeof Compartment>;
export const compartmentSchema = Compartment.schema;

/** Roles that may never be granted a compartment: targeting must not reach survivor or child data. */
export const ROLES_BARRED_FROM_COMPARTMENTS: readonly Role[] = ['targeting-officer', 'partner'];
