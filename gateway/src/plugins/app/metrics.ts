// Prometheus metrics on the instance, and every request's latency by route and status.
import fp from 'fastify-plugin';
import type { Metrics } from '../../metrics';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export default fp(
  async (fastify, opts: { metrics: Metrics }) => {
    fastify.decorate('metrics', opts.metrics);
    fastify.addHook('onResponse', async (request, reply) => {
      opts.metrics.requestDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'metrics' },
);
