import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createUserBodySchema,
  grantBodySchema,
  idParamsSchema,
  pageQuerySchema,
  pageSchema,
  problemSchema,
  updateUserBodySchema,
  userSchema,
} from '../../contract/index.js';
import { compartmentSchema } from '../../domain/access/role.js';
import {
  createUser,
  getUser,
  grantCompartment,
  listUsers,
  revokeCompartment,
  updateUser,
} from '../../service/auth/user.service.js';
import type { ServiceDeps } from '../../service/deps.js';
import { userView } from '../views.js';

/** User administration (administrators; every change audited). */
export function userRoutes(deps: ServiceDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const signedIn = { policy: 'signed-in' as const };
    app.get(
      '/users',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'List users',
          querystring: pageQuerySchema,
          response: { 200: pageSchema(userSchema) },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const page = await listUsers(deps, request.actor!, { limit, offset });
        return { items: page.items.map(userView), total: page.total, limit, offset };
      },
    );
    app.post(
      '/users',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'Create a user; a generated password is returned once',
          body: createUserBodySchema,
          response: {
            201: z.object({ user: userSchema, password: z.string().optional() }),
            400: problemSchema,
          },
        },
      },
      async (request, reply) => {
        const { user, password } = await createUser(deps, request.actor!, request.body);
        return reply
          .status(201)
          .send({ user: userView(user), ...(request.body.password ? {} : { password }) });
      },
    );
    app.get(
      '/users/:id',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'One user',
          params: idParamsSchema,
          response: { 200: userSchema, 404: problemSchema },
        },
      },
      async (request) => userView(await getUser(deps, request.actor!, request.params.id)),
    );
    app.patch(
      '/users/:id',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'Change role, clearance, organisations, or disable (ends every session)',
          params: idParamsSchema,
          body: updateUserBodySchema,
          response: { 200: userSchema, 404: problemSchema },
        },
      },
      async (request) =>
        userView(await updateUser(deps, request.actor!, request.params.id, request.body)),
    );
    app.post(
      '/users/:id/compartments',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'Grant a need-to-know compartment',
          params: idParamsSchema,
          body: grantBodySchema,
          response: { 200: userSchema },
        },
      },
      async (request) =>
        userView(
          await grantCompartment(deps, request.actor!, request.params.id, request.body.compartment),
        ),
    );
    app.delete(
      '/users/:id/compartments/:compartment',
      {
        config: signedIn,
        schema: {
          tags: ['users'],
          summary: 'Revoke a compartment grant (applies on the next request)',
          params: z
            .object({ id: z.string().min(1).max(100), compartment: compartmentSchema })
            .strict(),
          response: { 200: userSchema },
        },
      },
      async (request) =>
        userView(
          await revokeCompartment(
            deps,
            request.actor!,
            request.params.id,
            request.params.compartment,
          ),
        ),
    );
  };
}
