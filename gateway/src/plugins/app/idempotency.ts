// The idempotency journal on the instance: a retried submit with the same key gets the first answer.
import fp from 'fastify-plugin';
import type { Idempotency } from '../../idempotency';

declare module 'fastify' {
  interface FastifyInstance {
    idempotency: Idempotency;
  }
}

export default fp(
  async (fastify, opts: { idempotency: Idempotency }) => {
    fastify.decorate('idempotency', opts.idempotency);
  },
  { name: 'idempotency' },
);
