// Who is calling: the API key resolves to a caller, the route's roles decide, and both rate budgets apply.
import type { Role } from '@regchain/common';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors';
import type { Caller } from '../../fabric/identities';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; undefined means the route needs no API key. */
    roles?: readonly Role[];
  }
}

function apiKeyOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/** The authenticated caller of a route that has roles; a route without roles never asks. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new ApiError(401, 'UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
  return request.caller;
}

export default fp(
  async (fastify) => {
    fastify.addHook('onRequest', fastify.rateLimits.byAddress);
    fastify.addHook('onRequest', async (request) => {
      const roles = request.routeOptions.config.roles;
      if (!roles) return;
      const key = apiKeyOf(request);
      const caller = key ? await fastify.callers.authenticate(key) : undefined;
      if (!caller) throw new ApiError(401, 'UNAUTHENTICATED', key ? 'the API key is not valid' : 'send an API key as "Authorization: Bearer <key>"');
      request.caller = caller;
      if (!roles.includes(caller.role)) {
        throw new ApiError(403, 'ACCESS_DENIED', `${caller.role} ${caller.id} may not ${request.method} ${request.routeOptions.url ?? request.url}`, {
          details: { role: caller.role },
        });
      }
    });
    fastify.addHook('onRequest', fastify.rateLimits.byCaller);
  },
  { name: 'authentication', dependencies: ['callers', 'rate-limit'] },
);
