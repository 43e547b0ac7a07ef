import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { CivitasError, type ErrorCode, type FieldProblem } from '../domain/shared/civitas-error.js';
import type { Problem } from '../contract/index.js';

/** The HTTP status of each error code: chosen here, and only here. */
export const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_aimpoints: 400,
  bad_request: 400,
  unauthenticated: 401,
  sign_in_failed: 401,
  forbidden: 403,
  csrf_rejected: 403,
  weak_password: 400,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  database_unavailable: 503,
  migration_failed: 503,
  demo_data_invalid: 422,
  harm_report_invalid: 422,
  harm_import_invalid: 422,
  internal_error: 500,
};

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Request is not valid',
  invalid_aimpoints: 'Aimpoints could not be read',
  bad_request: 'Bad request',
  unauthenticated: 'Not signed in',
  sign_in_failed: 'Sign-in failed',
  forbidden: 'Not allowed',
  csrf_rejected: 'Cross-site request refused',
  weak_password: 'Password too weak',
  not_found: 'Not found',
  route_not_found: 'No such route',
  conflict: 'Conflict',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  database_unavailable: 'Database unavailable',
  migration_failed: 'Database migration failed',
  demo_data_invalid: 'Demo data is not valid',
  harm_report_invalid: 'Harm report is not consistent',
  harm_import_invalid: 'Harm import file has bad rows',
  internal_error: 'Internal error',
};

/** Builds an RFC 9457 problem body for a code. `type` points at the code's row in docs/errors.md. */
export function problem(
  code: ErrorCode,
  detail: string,
  instance?: string,
  errors?: readonly FieldProblem[],
): Problem {
  return {
    type: `https://civitas.invalid/docs/errors#${code}`,
    title: TITLES[code],
    status: STATUS_OF[code],
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...(errors && errors.length > 0 ? { errors: [...errors] } : {}),
  };
}

/** Sends a problem with the right status and media type. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json').send(body);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
};

/**
 * One error handler for the whole API: validation errors name each field, CivitasErrors keep
 * their code, and anything unexpected becomes a 500 whose body holds only a correlation id
 * (the details go to the log, never to the client).
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url.split('?')[0];
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const errors = error.validation.map((v) => {
        const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
        return { path: path ? `${where}.${path}` : where, message: v.message ?? 'is not valid' };
      });
      const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return sendProblem(reply, problem('validation_failed', detail, instance, errors));
    }
    if (error instanceof CivitasError) {
      return sendProblem(reply, problem(error.code, error.message, instance, error.problems));
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendProblem(reply, problem(mapped, error.message, instance));
    if (
      error instanceof SyntaxError ||
      (error.statusCode === 400 && !isResponseSerializationError(error))
    ) {
      return sendProblem(reply, problem('bad_request', error.message, instance));
    }
    const correlationId = randomUUID();
    request.log.error({ err: error, correlationId }, 'unexpected error');
    return sendProblem(
      reply,
      problem(
        'internal_error',
        `Something went wrong on the server. Quote this reference: ${correlationId}`,
        instance,
      ),
    );
  });
}
