// One error shape everywhere: the central handler (5xx details only in the log), 404 and 405 for unknown
// routes and methods, and errors Fastify raises before routing.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { apiErrorOf } from '@regchain/common';
import { ApiError } from '../../errors';

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  if (err.retryAfter !== undefined) void reply.header('retry-after', String(err.retryAfter));
  return reply.code(err.statusCode).send(err.toBody());
}

/** For Fastify's `frameworkErrors` option: an over-long path parameter is a 414, a URL that cannot be decoded a 400. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void sendError(
    reply,
    new ApiError(
      tooLong ? 414 : 400,
      tooLong ? 'URI_TOO_LONG' : 'BAD_URL',
      tooLong ? 'a path parameter is longer than 2048 characters' : 'the URL cannot be decoded',
    ),
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers every other method on each known path with 405 and an Allow header; call once all routes exist. */
    refuseOtherMethods(): void;
  }
}

export default fp(
  async (fastify: FastifyInstance) => {
    fastify.setErrorHandler((error: unknown, request, reply) => {
      const apiError = apiErrorOf(error);
      // Every error answered goes to the log with the request id (pino's reqId) and the transaction id: the
      // original as `err` (with its stack: always for a 5xx), Fabric's own words (gRPC status, each peer's
      // answer, validation code) beside it. The caller gets the mapped code and sentence only.
      const cause = apiError.cause ?? (apiError.statusCode >= 500 ? apiError : undefined);
      request.log[apiError.statusCode >= 500 ? 'error' : 'info'](
        {
          code: apiError.code,
          statusCode: apiError.statusCode,
          ...(apiError.transactionId ? { transactionId: apiError.transactionId } : {}),
          ...(apiError.fabric ? { fabric: apiError.fabric } : {}),
          ...(cause === undefined ? {} : { err: cause }),
        },
        apiError.message,
      );
      return sendError(reply, apiError);
    });
    fastify.setNotFoundHandler((request, reply) => sendError(reply, new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${request.method} ${request.url}`)));

    const methods = new Map<string, Set<string>>();
    fastify.addHook('onRoute', (route) => {
      if (route.schema?.hide) return;
      const set = methods.get(route.url) ?? new Set<string>();
      for (const m of [route.method].flat()) set.add(m);
      methods.set(route.url, set);
    });
    fastify.decorate('refuseOtherMethods', () => {
      for (const [url, allowed] of methods) {
        if (!url.startsWith('/v1/') && !['/health', '/ready', '/metrics'].includes(url)) continue;
        const others = fastify.supportedMethods.filter((m) => m !== 'HEAD' && m !== 'CONNECT' && !allowed.has(m));
        if (others.length === 0) continue;
        const allow = [...allowed].sort().join(', ');
        fastify.route({
          method: others,
          url,
          schema: { hide: true },
          // Refused before any body is read, whatever it holds.
          onRequest: async (request, reply) => {
            void reply.header('allow', allow);
            throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url}; use ${allow}`);
          },
          handler: async () => undefined,
        });
      }
    });
  },
  { name: 'errors' },
);
