import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  apiTokenSchema,
  changePasswordBodySchema,
  issuedTokenSchema,
  issueTokenBodySchema,
  meSchema,
  problemSchema,
  signInBodySchema,
} from '../../contract/index.js';
import {
  issueToken,
  revokeToken,
  secretHash,
  signIn,
  signOut,
  signOutEverywhere,
} from '../../service/auth/auth.service.js';
import { changeOwnPassword } from '../../service/auth/user.service.js';
import type { ServiceDeps } from '../../service/deps.js';
import { clearSessionCookie, setSessionCookie } from '../auth-context.js';
import { meView } from '../views.js';

/** Sign-in, sign-out, the current user, and their API tokens. */
export function authRoutes(deps: ServiceDeps, secureCookies: boolean): FastifyPluginAsyncZod {
  return async (app) => {
    const permissionsOf = async (role: string) =>
      (await deps.store.permissions.list())
        .filter((p) => p.role === role)
        .map((p) => ({ recordType: p.recordType, action: p.action }));

    app.post(
      '/auth/sign-in',
      {
        config: { policy: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with user name and password; sets an HttpOnly session cookie',
          body: signInBodySchema,
          response: { 200: meSchema, 401: problemSchema },
        },
      },
      async (request, reply) => {
        const session = await signIn(deps, request.body.username, request.body.password);
        setSessionCookie(reply, secureCookies, session.token, session.expiresAt);
        return meView(session.user, await permissionsOf(session.user.role));
      },
    );

    app.get(
      '/auth/me',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user and what their role allows',
          response: { 200: meSchema },
        },
      },
      async (request) => {
        const actor = request.actor!;
        if (actor.kind !== 'user') throw new Error('unreachable: API actors are users');
        return meView(actor.user, await permissionsOf(actor.user.role));
      },
    );

    app.post(
      '/auth/sign-out',
      { config: { policy: 'signed-in' }, schema: { tags: ['auth'], summary: 'End this session' } },
      async (request, reply) => {
        if (request.sessionToken) await signOut(deps, request.sessionToken, request.actor!);
        clearSessionCookie(reply, secureCookies);
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/sign-out-everywhere',
      {
        config: { policy: 'signed-in' },
        schema: { tags: ['auth'], summary: 'End every session of the signed-in user' },
      },
      async (request, reply) => {
        await signOutEverywhere(deps, request.actor!.id, request.actor!);
        clearSessionCookie(reply, secureCookies);
        return reply.status(204).send();
      },
    );

    app.post(
      '/auth/password',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: 'Change your own password; your other sessions end',
          body: changePasswordBodySchema,
        },
      },
      async (request, reply) => {
        const keep = request.sessionToken ? secretHash(request.sessionToken) : undefined;
        await changeOwnPassword(
          deps,
          request.actor!,
          request.body.current,
          request.body.next,
          keep,
        );
        return reply.status(204).send();
      },
    );

    app.get(
      '/auth/tokens',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: 'Your API tokens (never their secrets)',
          response: { 200: z.array(apiTokenSchema) },
        },
      },
      async (request) =>
        (await deps.store.credentials.listTokens(request.actor!.id)).map((t) => ({
          ...t,
          scopes: [...t.scopes],
        })),
    );

    app.post(
      '/auth/tokens',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: 'Issue an API token for scripts; the token is shown once',
          body: issueTokenBodySchema,
          response: { 201: issuedTokenSchema },
        },
      },
      async (request, reply) => {
        const actor = request.actor!;
        if (actor.kind !== 'user') throw new Error('unreachable: API actors are users');
        const issued = await issueToken(deps, actor, actor.user, request.body);
        return reply.status(201).send({
          token: issued.token,
          record: { ...issued.record, scopes: [...issued.record.scopes] },
        });
      },
    );

    app.delete(
      '/auth/tokens/:tokenId',
      {
        config: { policy: 'signed-in' },
        schema: {
          tags: ['auth'],
          summary: 'Revoke an API token',
          params: z.object({ tokenId: z.string().min(1).max(40) }).strict(),
        },
      },
      async (request, reply) => {
        await revokeToken(deps, request.actor!, request.params.tokenId);
        return reply.status(204).send();
      },
    );
  };
}
