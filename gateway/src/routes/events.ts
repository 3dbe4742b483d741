// Monitoring stream: chaincode events as Server-Sent Events, filtered by type, resumable without loss or repeats.
import { type Checkpointer, checkpointers } from '@hyperledger/fabric-gateway';
import { Type } from '@sinclair/typebox';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHAINCODE_NAME } from '../../../network/src/topology';
import { errorResponses, type RoutePlugin } from '../app';
import { ApiError, fromFabric } from '../errors';
import type { Caller } from '../fabric/identities';

/** An event id is "<block>:<transaction id>": enough to resume right after it. */
const EVENT_ID = /^(\d{1,19}):([0-9a-f]{64})$/;

const Query = Type.Object(
  {
    types: Type.Optional(Type.String({ pattern: '^[A-Za-z]+(,[A-Za-z]+)*$', description: 'comma-separated event types, e.g. AlertRaised,FilingSubmitted' })),
    stream: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'name of a server-side checkpoint that survives disconnects and gateway restarts' })),
    fromBlock: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'start at this block when there is no checkpoint' })),
  },
  { additionalProperties: false },
);

async function checkpointFor(dataDir: string, caller: Caller, stream: string | undefined, lastEventId: string | undefined): Promise<Checkpointer> {
  let checkpointer: Checkpointer;
  if (stream) {
    const dir = path.join(dataDir, 'streams');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    checkpointer = await checkpointers.file(path.join(dir, `${caller.id}-${stream}.json`));
  } else {
    checkpointer = checkpointers.inMemory();
  }
  if (lastEventId) {
    const m = EVENT_ID.exec(lastEventId);
    if (!m?.[1] || !m[2]) throw new ApiError(400, 'VALIDATION_FAILED', 'Last-Event-ID must be "<block>:<transaction id>"', { details: { field: 'headers/last-event-id' } });
    // An explicit Last-Event-ID wins over the stored checkpoint: the client knows what it received.
    await checkpointer.checkpointTransaction(BigInt(m[1]), m[2]);
  }
  return checkpointer;
}

export const eventRoutes: RoutePlugin = (app, services) => {
  app.get(
    '/v1/events',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: { tags: ['event'], summary: 'Chaincode events as Server-Sent Events (resume with Last-Event-ID or a named stream)', querystring: Query, response: errorResponses },
    },
    async (request, reply) => {
      const caller = request.caller as Caller;
      const query = request.query as { types?: string; stream?: string; fromBlock?: string };
      const lastEventId = typeof request.headers['last-event-id'] === 'string' ? request.headers['last-event-id'] : undefined;
      const types = query.types ? new Set(query.types.split(',')) : undefined;
      const checkpointer = await checkpointFor(services.config.dataDir, caller, query.stream, lastEventId);
      const resumes = checkpointer.getBlockNumber() !== undefined;
      let events;
      try {
        events = await services.ledger.network(caller).getChaincodeEvents(CHAINCODE_NAME, {
          checkpoint: checkpointer,
          ...(!resumes && query.fromBlock ? { startBlock: BigInt(query.fromBlock) } : {}),
        });
      } catch (err) {
        throw fromFabric(err);
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      raw.write('retry: 2000\n\n');
      services.metrics.streamClients.inc();
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      const stop = (): void => {
        clearInterval(heartbeat);
        events.close();
      };
      raw.on('close', stop);
      try {
        for await (const event of events) {
          const payload = JSON.parse(Buffer.from(event.payload).toString('utf8')) as { txId: string; events: { type: string }[] };
          const selected = types ? payload.events.filter((e) => types.has(e.type)) : payload.events;
          if (selected.length > 0) {
            const data = { transactionId: event.transactionId, blockNumber: event.blockNumber.toString(), events: selected };
            raw.write(`id: ${event.blockNumber}:${event.transactionId}\nevent: regchain\ndata: ${JSON.stringify(data)}\n\n`);
          }
          await checkpointer.checkpointChaincodeEvent(event);
        }
      } catch (err) {
        if (!raw.destroyed) request.log.warn({ err }, 'event stream ended by the network');
      } finally {
        stop();
        services.metrics.streamClients.dec();
        raw.end();
      }
    },
  );
};
