// CSV uploads on the instance: batches go through the ledger as the uploading caller; uploads a stopped
// gateway left running resume once the app is ready, and closing waits for the batch in flight.
import fp from 'fastify-plugin';
import { ApiError } from '../../errors';
import type { GatewayDatabase } from '../../store/database';
import { type BatchOutcome, Uploads } from '../../uploads';

declare module 'fastify' {
  interface FastifyInstance {
    uploads: Uploads;
  }
}

export default fp(
  async (fastify, opts: { uploads?: Uploads; database?: GatewayDatabase }) => {
    if (!opts.uploads && !opts.database) throw new Error('the uploads plugin needs the uploads service or the gateway database');
    const uploads =
      opts.uploads ??
      new Uploads(
        opts.database as GatewayDatabase,
        fastify.config.dataDir,
        async (callerId, items) => {
          const caller = await fastify.callers.get(callerId);
          if (!caller) throw new ApiError(403, 'UNAUTHENTICATED', `caller ${callerId} no longer exists`);
          const answer = await fastify.ledger.submit(caller, { fn: 'transfer:recordBatch', input: { items, mode: 'partial' } });
          return answer.result as BatchOutcome;
        },
        {
          batchSize: fastify.config.uploadBatchSize,
          maxPendingRows: fastify.config.uploadMaxPendingRows,
          retentionSeconds: fastify.config.uploadRetentionSeconds,
        },
      );
    fastify.decorate('uploads', uploads);
    fastify.addHook('onReady', async () => {
      const resumed = await uploads.resume();
      if (resumed > 0) fastify.log.info({ resumed }, 'resuming CSV uploads');
    });
    fastify.addHook('onClose', async () => uploads.close());
  },
  { name: 'uploads', dependencies: ['ledger', 'callers'] },
);
