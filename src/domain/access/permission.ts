import type { Role } from './role.js';

/** The record types access is decided for. */
export const RECORD_TYPES = [
  'area',
  'factor',
  'user',
  'audit',
  'protected_object',
  'release',
  'screening',
  'effect_class',
  'harm_report',
  'harm_incident',
  'harm_response',
  'casualty',
  'casualty_name',
  'harm_reporter',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** What can be done to a record type. `export` is a bulk read that leaves the system. */
export const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'approve'] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions an API token with only the `read` scope may perform. */
export const READ_ACTIONS: readonly Action[] = ['read', 'export'];

type Grants = Partial<Record<RecordType, readonly Action[]>>;

const all: readonly Action[] = ['read', 'create', 'update', 'delete', 'export'];

/**
 * Role → record type → allowed actions for the platform's first record types: the seed of the
 * `role_permission` table in migration 0002 (later migrations add rows for later record types;
 * `ALL_ROLE_PERMISSIONS` below is the whole table as the migrations leave it). The service checks
 * the table, so a deployment can tighten it without a code change. Anything not listed is denied.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, Grants>> = {
  admin: { area: all, factor: all, user: all, audit: ['read', 'export'] },
  'hs-adviser': { area: ['read', 'create', 'update', 'export'], factor: all },
  'cimic-officer': { area: ['read', 'export'], factor: ['read', 'create', 'update', 'export'] },
  'targeting-officer': { area: ['read'], factor: ['read'] },
  'legal-adviser': { area: ['read', 'export'], factor: ['read', 'export'] },
  analyst: { area: ['read', 'export'], factor: ['read', 'create', 'update', 'export'] },
  trainer: { area: ['read', 'create', 'update'], factor: ['read', 'create'] },
  partner: { area: ['read'], factor: ['read'] },
  viewer: { area: ['read'], factor: ['read'] },
};

/** Every (role, record type, action) triple the 0002 seed allows, for that migration to insert. */
export function permissionRows(): { role: Role; record_type: RecordType; action: Action }[] {
  return grantRows(ROLE_PERMISSIONS);
}

/**
 * Permissions for the protected-objects register and its list releases (migration 0004).
 * `approve` a release is separate from `update`: the approver must differ from the author.
 */
export const REGISTER_PERMISSIONS: Readonly<Record<Role, Grants>> = {
  admin: { protected_object: all, release: ['read', 'create', 'update', 'approve', 'export'] },
  'hs-adviser': {
    protected_object: all,
    release: ['read', 'create', 'update', 'approve', 'export'],
  },
  'cimic-officer': {
    protected_object: ['read', 'create', 'update', 'export'],
    release: ['read', 'export'],
  },
  'targeting-officer': {
    protected_object: ['read', 'create', 'update', 'export'],
    release: ['read', 'create', 'update', 'export'],
  },
  'legal-adviser': { protected_object: ['read', 'export'], release: ['read', 'approve', 'export'] },
  analyst: {
    protected_object: ['read', 'create', 'update', 'export'],
    release: ['read', 'export'],
  },
  trainer: { protected_object: ['read'], release: ['read'] },
  partner: { protected_object: ['read'], release: ['read'] },
  viewer: { protected_object: ['read'], release: ['read'] },
};

/**
 * Permissions for harm-mitigation screenings and the deployment's effect classes (migration
 * 0007). Screening a plan is for the staff who plan and review actions; analysts may read and
 * export them, CIMIC officers read them; trainers, partners and viewers see none. Effect classes
 * are read by everyone who reads screenings and set by administrators and targeting officers.
 */
export const SCREENING_PERMISSIONS: Readonly<Record<Role, Grants>> = {
  admin: {
    screening: ['read', 'create', 'export'],
    effect_class: ['read', 'update', 'delete'],
  },
  'hs-adviser': { screening: ['read', 'create', 'export'], effect_class: ['read'] },
  'cimic-officer': { screening: ['read'], effect_class: ['read'] },
  'targeting-officer': {
    screening: ['read', 'create', 'export'],
    effect_class: ['read', 'update', 'delete'],
  },
  'legal-adviser': { screening: ['read', 'create', 'export'], effect_class: ['read'] },
  analyst: { screening: ['read', 'export'], effect_class: ['read'] },
  trainer: {},
  partner: {},
  viewer: {},
};

/**
 * Permissions for civilian harm tracking (migration 0008). `approve` on `harm_incident` is
 * grading it (the assessment). Two need-to-know types hold only `read`: `casualty_name` shows
 * casualties' names (a child's name needs the CHILD-IDENTITY compartment as well) and
 * `harm_reporter` shows who reported and how to reach them, with the confidential narrative.
 * Neither is granted to admin: running the system is not a need to know (docs/harm.md).
 */
export const HARM_PERMISSIONS: Readonly<Record<Role, Grants>> = {
  admin: {
    harm_report: ['read', 'export'],
    harm_incident: ['read', 'export'],
    harm_response: ['read', 'export'],
    casualty: ['read'],
  },
  'hs-adviser': {
    harm_report: all,
    harm_incident: [...all, 'approve'],
    harm_response: all,
    casualty: all,
    casualty_name: ['read'],
    harm_reporter: ['read'],
  },
  'cimic-officer': {
    harm_report: ['read', 'create', 'update', 'export'],
    harm_incident: ['read', 'update', 'export'],
    harm_response: ['read', 'create', 'update', 'export'],
    casualty: ['read', 'create'],
    harm_reporter: ['read'],
  },
  'targeting-officer': { harm_report: ['read'], harm_incident: ['read'], casualty: ['read'] },
  'legal-adviser': {
    harm_report: ['read', 'export'],
    harm_incident: ['read', 'export', 'approve'],
    harm_response: ['read', 'export'],
    casualty: ['read', 'export'],
    casualty_name: ['read'],
  },
  analyst: {
    harm_report: ['read', 'create', 'update', 'export'],
    harm_incident: ['read', 'create', 'update', 'export'],
    harm_response: ['read'],
    casualty: ['read'],
  },
  trainer: {},
  partner: { harm_report: ['read', 'create'], harm_incident: ['read'] },
  viewer: { harm_incident: ['read'] },
};

/** The whole role_permission table as the migrations leave it. */
export const ALL_ROLE_PERMISSIONS: Readonly<Record<Role, Grants>> = Object.fromEntries(
  Object.entries(ROLE_PERMISSIONS).map(([role, grants]) => [
    role,
    {
      ...grants,
      ...REGISTER_PERMISSIONS[role as Role],
      ...SCREENING_PERMISSIONS[role as Role],
      ...HARM_PERMISSIONS[role as Role],
    },
  ]),
) as Record<Role, Grants>;

/** The (role, record type, action) rows of a grants table, for a migration to insert. */
export function grantRows(
  table: Readonly<Record<Role, Grants>>,
): { role: Role; record_type: RecordType; action: Action }[] {
  return Object.entries(table).flatMap(([role, grants]) =>
    Object.entries(grants).flatMap(([recordType, actions]) =>
      (actions ?? []).map((action) => ({
        role: role as Role,
        record_type: recordType as RecordType,
        action,
      })),
    ),
  );
}
