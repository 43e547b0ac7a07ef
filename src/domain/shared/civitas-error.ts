/**
 * Every expected failure code in Civitas. Each has a row in docs/errors.md (meaning, how to fix);
 * the HTTP status for each is chosen in src/api/ only.
 */
export const ERROR_CODES = [
  'validation_failed',
  'invalid_aimpoints',
  'bad_request',
  'unauthenticated',
  'sign_in_failed',
  'forbidden',
  'csrf_rejected',
  'weak_password',
  'not_found',
  'route_not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'database_unavailable',
  'migration_failed',
  'demo_data_invalid',
  'harm_report_invalid',
  'harm_import_invalid',
  'internal_error',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A field-level problem: where (a path such as `body.name` or `line 12 field lat`) and what. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
  /** The line of an uploaded or pasted text the problem is on (1 = first). */
  readonly line?: number;
  /** The GeoJSON feature the problem is in (1 = first). */
  readonly feature?: number;
  /** The field of that line or feature. */
  readonly field?: string;
}

/**
 * The one error class for domain and service failures. It carries a stable code so the API can
 * map it to a status and clients can act on it without parsing text.
 *
 * @example
 * throw new CivitasError('not_found', 'No area of operations with that id.');
 */
export class CivitasError extends Error {
  override readonly name = 'CivitasError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
  }

  /** True when the value is a CivitasError, optionally with the given code. */
  static is(value: unknown, code?: ErrorCode): value is CivitasError {
    return value instanceof CivitasError && (code === undefined || value.code === code);
  }
}
