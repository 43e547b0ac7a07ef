import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config/config.js';
import { packageInfo } from '../config/package-info.js';
import type { ServiceDeps } from '../service/deps.js';
import { problem, registerProblemHandlers, sendProblem } from './problem.js';
import { registerAuthContext } from './auth-context.js';
import { areaRoutes } from './routes/area.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { factorRoutes } from './routes/factor.routes.js';
import { harmRoutes } from './routes/harm.routes.js';
import { registerRoutes } from './routes/register.routes.js';
import { screeningRoutes } from './routes/screening.routes.js';
import { userRoutes } from './routes/user.routes.js';
import { basemapRoutes } from './routes/basemap.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { taxonomyRoutes } from './routes/taxonomy.routes.js';

/** What buildApp needs: the validated configuration and the use-case dependencies (store included). */
export interface AppOptions {
  readonly config: Config;
  readonly deps: ServiceDeps;
}

/**
 * Builds the Fastify app — API, OpenAPI document, reference page and web UI — without listening,
 * so tests drive it with `app.inject()` and server.ts decides where to listen. The app holds no
 * state of its own: everything lives in the store, so several instances can share one database.
 *
 * @example
 * const app = await buildApp({ config, deps: defaultDeps(store) });
 * const res = await app.inject({ method: 'GET', url: '/api/health' });
 */
export async function buildApp({ config, deps }: AppOptions): Promise<FastifyInstance> {
  const { version } = packageInfo();
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: config.bodyLimitBytes,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });

  // API answers are never cached by browsers or proxies unless a route says otherwise.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    // Civitas needs no camera, microphone, location or payment API: deny them to any injected code.
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    );
    return payload;
  });

  await app.register(cookie);
  registerAuthContext(app, deps, config.secureCookies);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Civitas API',
        version,
        description:
          'Civitas: the human security approach as a working tool. Sign in with POST /api/auth/sign-in (session cookie) or send `Authorization: Bearer civ_…` (API token). Errors are RFC 9457 problem+json with a stable `code` (docs/errors.md); lists page with `limit` and `offset` (docs/api.md).',
      },
      tags: [
        { name: 'platform', description: 'Health, code lists and basemap' },
        { name: 'areas', description: 'Areas of operations and their human environment' },
        { name: 'factors', description: 'Human security factors: the PMESII × ASCOPE analysis' },
        { name: 'register', description: 'Protected objects and versioned NSL/RTL releases' },
        {
          name: 'screening',
          description:
            'Harm-mitigation screening of planned aimpoints, flag sheets, effect classes',
        },
        { name: 'harm', description: 'Civilian harm: reports, incidents, assessment, responses' },
        { name: 'auth', description: 'Sign-in, sessions and API tokens' },
        { name: 'users', description: 'User administration' },
        { name: 'audit', description: 'The tamper-evident audit trail' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
        app.swagger(),
      );
      await api.register(healthRoutes(deps, version));
      await api.register(taxonomyRoutes);
      await api.register(basemapRoutes);
      await api.register(authRoutes(deps, config.secureCookies));
      await api.register(areaRoutes(deps));
      await api.register(factorRoutes(deps));
      await api.register(registerRoutes(deps));
      await api.register(screeningRoutes(deps));
      await api.register(harmRoutes(deps));
      await api.register(userRoutes(deps));
      await api.register(auditRoutes(deps));
    },
    { prefix: '/api' },
  );

  const hasWeb = existsSync(join(config.webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage = request.method === 'GET' && !path.startsWith('/api/') && path !== '/api';
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    if (wantsPage) {
      return sendProblem(
        reply,
        problem(
          'route_not_found',
          'The web UI has not been built: run `npm run build` (npm start does it).',
          path,
        ),
      );
    }
    return sendProblem(
      reply,
      problem('route_not_found', `No route ${request.method} ${path}.`, path),
    );
  });

  return app;
}
