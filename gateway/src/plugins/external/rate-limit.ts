// @fastify/rate-limit with two budgets: one per client address, counted before the API key is looked at (so
// rotating junk keys does not escape it), and one per authenticated caller (no one borrows another's budget).
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors';

type Check = (request: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: { readonly byAddress: Check; readonly byCaller: Check };
  }
}

export default fp(
  async (fastify, opts: { perAddressPerMinute: number; perCallerPerMinute: number }) => {
    await fastify.register(rateLimit, { global: false });
    const enforce = (max: number, who: string, key: (request: FastifyRequest) => string | undefined): Check => {
      const check = fastify.createRateLimit({ max, timeWindow: '1 minute', keyGenerator: (request) => key(request) ?? '' });
      return async (request) => {
        if (key(request) === undefined) return;
        const result = await check(request);
        // isAllowed is true only for an allow-listed key; every other result says whether the budget is spent.
        if (!result.isAllowed && result.isExceeded) {
          throw new ApiError(429, 'RATE_LIMITED', `more than ${result.max} requests a minute from this ${who}; retry in ${result.ttlInSeconds} s`, {
            retryAfter: result.ttlInSeconds,
          });
        }
      };
    };
    fastify.decorate('rateLimits', {
      byAddress: enforce(opts.perAddressPerMinute, 'client address', (request) => `address:${request.ip}`),
      byCaller: enforce(opts.perCallerPerMinute, 'caller', (request) => (request.caller ? `caller:${request.caller.id}` : undefined)),
    });
  },
  { name: 'rate-limit' },
);
