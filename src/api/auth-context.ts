import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../domain/access/user.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { authenticateSession, authenticateToken } from '../service/auth/auth.service.js';
import type { ServiceDeps } from '../service/deps.js';

/**
 * Every API route declares who may reach it (R01): `public` (health, code lists, basemap,
 * sign-in) or `signed-in` (everything else; the service then checks the role's permissions,
 * denying by default). A route without a policy stops the server from starting.
 */
export type RoutePolicy = 'public' | 'signed-in';

/** One API route and its declared policy, as registered. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly policy: RoutePolicy;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyInstance {
    /** Every API route with its policy, for the route × role matrix test and reviews. */
    apiRoutes: RouteEntry[];
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
}

/** The cookie that carries the session: `__Host-` prefixed (Secure, Path=/, no Domain) over TLS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-civitas_session' : 'civitas_session';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over TLS. */
export function setSessionCookie(
  reply: FastifyReply,
  secure: boolean,
  token: string,
  expiresAt: string,
): void {
  reply.setCookie(sessionCookieName(secure), token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

/** Clears the session cookie and asks the browser to forget what it cached. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
  });
  reply.header('clear-site-data', '"cache", "storage"');
}

/** The browsable API reference (static pages served by @fastify/swagger-ui): public, no records. */
function isReferencePage(url: string): boolean {
  return url === '/api/docs' || url.startsWith('/api/docs/');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A cookie-authenticated state change must come from Civitas's own pages: the browser's
 * Sec-Fetch-Site says same-origin, or the Origin header names this host. SameSite=Strict already
 * keeps the cookie off cross-site requests; this check is the second lock (R19).
 */
function isSameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser (curl, scripts): no ambient cookie risk
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Resolves who is calling — a session cookie or an `Authorization: Bearer civ_…` token — on
 * every API request, from the database (so revocations apply at once, on every instance), and
 * enforces each route's policy.
 */
export function registerAuthContext(
  app: FastifyInstance,
  deps: ServiceDeps,
  secureCookies: boolean,
): void {
  app.decorate('apiRoutes', [] as RouteEntry[]);
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api') || isReferencePage(route.url)) return;
    const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
    if (policy !== 'public' && policy !== 'signed-in') {
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no access policy (config.policy)`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.apiRoutes.push({ method, url: route.url, policy });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || isReferencePage(request.url)) return;
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const actor = await authenticateToken(deps, auth.slice(7).trim());
      if (!actor)
        throw new CivitasError('unauthenticated', 'The API token is unknown, expired or revoked.');
      request.actor = actor;
      // A read-only token changes nothing, whichever route it calls (sign-out, token revocation
      // and other changes that check no record permission included).
      if (actor.kind === 'user' && UNSAFE.has(request.method) && !actor.scopes.includes('write')) {
        throw new CivitasError(
          'forbidden',
          `This API token may only read; ${request.method} needs the write scope.`,
        );
      }
      return;
    }
    const token = request.cookies[sessionCookieName(secureCookies)];
    if (token) {
      request.actor = await authenticateSession(deps, token);
      if (request.actor) request.sessionToken = token;
      if (request.actor && UNSAFE.has(request.method) && !isSameOrigin(request)) {
        throw new CivitasError(
          'csrf_rejected',
          'A state change must come from a Civitas page (cross-site request refused).',
        );
      }
    }
  });

  app.addHook('preHandler', async (request) => {
    const policy = request.routeOptions.config?.policy;
    if (policy === 'signed-in' && !request.actor) {
      throw new CivitasError('unauthenticated', 'Sign in first.');
    }
  });
}
