// A tiny client for the Civitas HTTP API. Every failure becomes an RFC 9457 problem: the server's
// own problem+json when it sent one, or one made here for network failures and unreadable answers,
// so the UI shows every error the same way (see components/problem-notice.tsx).
import type { Problem } from './contract.js';
import { t } from './i18n.js';

/** Thrown by {@link apiGet} and {@link apiSend} when the server answers with an error or cannot be reached. */
export class ApiProblem extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiProblem';
    this.problem = problem;
  }
}

/** Query values; `undefined` leaves the parameter out. */
export type Query = Record<string, string | number | undefined>;

// --- Session expiry --------------------------------------------------------------------------

let unauthenticated: (() => void) | null = null;

/**
 * Registers what happens when the server answers 401 `unauthenticated` (no session, or it
 * expired): the session module shows the sign-in screen. One handler; a new one replaces it.
 *
 * @example onUnauthenticated(() => sessionExpired());
 */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticated = handler;
}

/** Whether a problem means "sign in (again)": handled by the sign-in screen, not the notice. */
export function isUnauthenticated(problem: Problem): boolean {
  return problem.status === 401 && problem.code === 'unauthenticated';
}

/**
 * GETs JSON from the API. Rejects with {@link ApiProblem} on any failure, and with the abort
 * reason when `signal` aborts (check {@link isAbort} before showing an error).
 *
 * @example
 *   const page = await apiGet<Page<AreaSummary>>('/api/areas', { query: { limit: 100 } });
 */
export async function apiGet<T>(
  path: string,
  options: { query?: Query; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await request('GET', withQuery(path, options.query), path, {
    signal: options.signal,
  });
  return (await response.json()) as T;
}

/**
 * Sends a state-changing request with a JSON body (same origin, so the server's Origin check
 * passes and the session cookie goes along). Resolves with the JSON answer, or `undefined` for
 * 204 No Content; rejects with {@link ApiProblem}.
 *
 * @example
 *   const factor = await apiSend<Factor>('POST', `/api/areas/${id}/factors`, body);
 *   await apiSend('POST', '/api/auth/sign-out');
 */
export async function apiSend<T = undefined>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const response = await request(method, path, path, { body, signal: options.signal });
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}

/**
 * POSTs a file as the request body with its media type (an import). Resolves with the status and
 * the JSON answer when the status is 2xx or one of `dataStatuses` (statuses whose body is data,
 * like 422 with an import report listing every bad item); rejects with {@link ApiProblem}
 * otherwise.
 *
 * @example
 *   const { status, body } = await apiUpload<ImportReport>('/api/objects/import', file,
 *     'application/x-ndjson', { query: { format: 'ndjson' }, dataStatuses: [422] });
 */
export async function apiUpload<T>(
  path: string,
  file: Blob,
  contentType: string,
  options: { query?: Query; dataStatuses?: number[] } = {},
): Promise<{ status: number; body: T }> {
  const url = withQuery(path, options.query);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': contentType,
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiProblem({
      type: 'about:blank',
      title: t('problem.network'),
      status: 0,
      detail: t('problem.networkDetail', { method: 'POST', path }),
      code: 'NETWORK',
    });
  }
  const type = response.headers.get('content-type') ?? '';
  const isData =
    (response.ok || (options.dataStatuses ?? []).includes(response.status)) &&
    type.includes('json') &&
    !type.includes('problem');
  if (isData) return { status: response.status, body: (await response.json()) as T };
  const problem = await readProblem(response, 'POST', path);
  if (isUnauthenticated(problem)) unauthenticated?.();
  throw new ApiProblem(problem);
}

async function request(
  method: string,
  url: string,
  path: string,
  options: { signal?: AbortSignal | undefined; body?: unknown },
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiProblem({
      type: 'about:blank',
      title: t('problem.network'),
      status: 0,
      detail: t('problem.networkDetail', { method, path }),
      code: 'NETWORK',
    });
  }
  if (response.ok) return response;
  const problem = await readProblem(response, method, path);
  if (isUnauthenticated(problem)) unauthenticated?.();
  throw new ApiProblem(problem);
}

/** Whether an error is an aborted request (a superseded load, not a failure to show). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** The problem behind any thrown value, for display. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiProblem) return error.problem;
  return {
    type: 'about:blank',
    title: t('problem.unreadable'),
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
  };
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readProblem(response: Response, method: string, path: string): Promise<Problem> {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || t('problem.unreadable'),
    status: response.status,
    detail: t('problem.unreadableDetail', { method, path, status: response.status }),
  };
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return fallback;
  try {
    const body: unknown = await response.json();
    return isProblemLike(body) ? { ...fallback, ...pickProblem(body) } : fallback;
  } catch {
    return fallback;
  }
}

function isProblemLike(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && typeof (body as Problem).title === 'string';
}

/** Copies only the problem fields we know, with their types checked (never trust a body's shape). */
function pickProblem(body: Record<string, unknown>): Partial<Problem> {
  const problem: Partial<Problem> = { title: String(body.title) };
  if (typeof body.type === 'string') problem.type = body.type;
  if (typeof body.status === 'number') problem.status = body.status;
  if (typeof body.detail === 'string') problem.detail = body.detail;
  if (typeof body.code === 'string') problem.code = body.code;
  if (typeof body.instance === 'string') problem.instance = body.instance;
  if (Array.isArray(body.errors)) {
    problem.errors = body.errors
      .filter((e): e is { path: unknown; message: unknown } => typeof e === 'object' && e !== null)
      .map((e) => {
        const entry: NonNullable<Problem['errors']>[number] = {
          path: String(e.path ?? ''),
          message: String(e.message ?? ''),
        };
        // Planner input problems name the line, feature and field.
        const extra = e as { line?: unknown; feature?: unknown; field?: unknown };
        if (typeof extra.line === 'number') entry.line = extra.line;
        if (typeof extra.feature === 'number') entry.feature = extra.feature;
        if (typeof extra.field === 'string') entry.field = extra.field;
        return entry;
      });
  }
  return problem;
}

// --- Problems shown to the user -------------------------------------------------------------

/** A problem on screen, with an id so it can be dismissed. */
export interface ShownProblem {
  id: number;
  problem: Problem;
}

type Listener = (problems: readonly ShownProblem[]) => void;
let shown: readonly ShownProblem[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

/**
 * Shows a problem in the problem notice. The same problem (title, status, detail, instance) is
 * shown once, not stacked.
 *
 * @example
 *   apiGet('/api/areas').catch((error) => { if (!isAbort(error)) showProblem(toProblem(error)); });
 */
export function showProblem(problem: Problem): void {
  // "Sign in again" is the sign-in screen's to say.
  if (isUnauthenticated(problem)) return;
  const key = problemKey(problem);
  if (shown.some((s) => problemKey(s.problem) === key)) return;
  shown = [...shown, { id: nextId++, problem }].slice(-5);
  for (const listener of listeners) listener(shown);
}

/** Removes every problem from the notice (on sign-out: the next user starts clean). */
export function dismissAllProblems(): void {
  shown = [];
  for (const listener of listeners) listener(shown);
}

/** Removes a problem from the notice. */
export function dismissProblem(id: number): void {
  shown = shown.filter((s) => s.id !== id);
  for (const listener of listeners) listener(shown);
}

/** Subscribes to the problems on screen (for useSyncExternalStore). */
export function subscribeProblems(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The problems on screen now. */
export function currentProblems(): readonly ShownProblem[] {
  return shown;
}

function problemKey(p: Problem): string {
  return [p.title, p.status, p.detail ?? '', p.instance ?? ''].join('\u0000');
}
