// The caller registry on the instance, and the identity public lookups run under.
import fp from 'fastify-plugin';
import { ApiError } from '../../errors';
import type { Caller, CallerRegistry } from '../../fabric/identities';

declare module 'fastify' {
  interface FastifyInstance {
    callers: CallerRegistry;
    /** The gateway's own read-only identity for routes that need no API key. */
    publicCaller(): Promise<Caller>;
  }
}

export default fp(
  async (fastify, opts: { callers: CallerRegistry; publicCaller: string }) => {
    fastify.decorate('callers', opts.callers);
    fastify.decorate('publicCaller', async (): Promise<Caller> => {
      const caller = await opts.callers.get(opts.publicCaller);
      if (!caller) throw new ApiError(503, 'NOT_CONFIGURED', 'the gateway has no identity for public lookups; run `npm run gateway:admin -- bootstrap`');
      return caller;
    });
  },
  { name: 'callers' },
);
