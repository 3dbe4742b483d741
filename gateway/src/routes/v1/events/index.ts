// Monitoring stream: chaincode events as Server-Sent Events, filtered by type, resumable without loss or repeats.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Checkpointer, checkpointers } from '@hyperledger/fabric-gateway';
import { Type } from '@sinclair/typebox';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EVENT_NAME } from '@regchain/common';
import { errorResponses } from '../../../schemas/responses';
import { callerOf } from '../../../plugins/app/authentication';
import { ApiError, fromFabric } from '../../../errors';
import type { Caller } from '../../../fabric/identities';

/** An event id is "<block>:<transaction id>": enough to resume right after it. */
const EVENT_ID = /^(\d{1,19}):([0-9a-f]{64})$/;

const Query = Type.Object(
  {
    types: Type.Optional(Type.String({ pattern: '^[A-Za-z]+(,[A-Za-z]+)*$', description: 'comma-separated event types, e.g. AlertRaised,FilingSubmitted' })),
    stream: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'name of a server-side checkpoint that survives disconnects and gateway restarts' }),
    ),
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
    if (!m?.[1] || !m[2])
      throw new ApiError(400, 'VALIDATION_FAILED', 'Last-Event-ID must be "<block>:<transaction id>"', { details: { field: 'headers/last-event-id' } });
    // An explicit Last-Event-ID wins over the stored checkpoint: the client knows what it received.
    await checkpointer.checkpointTransaction(BigInt(m[1]), m[2]);
  }
  return checkpointer;
}

/** What a regchain chaincode event carries; anything else on the stream is skipped and counted, never fatal. */
function parseEvent(eventName: string, payload: Uint8Array): { events: { type: string }[] } | string {
  if (eventName !== EVENT_NAME) return 'foreign-name';
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return 'not-json';
  }
  const events = (parsed as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || !events.every((e) => typeof (e as { type?: unknown } | null)?.type === 'string')) return 'bad-shape';
  return { events: events as { type: string }[] };
}

const eventRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  /** Streams open per caller in this app: a cap, so one member cannot hold the gateway's streams. */
  const open = new Map<string, number>();
  const { maxStreamsPerCaller, streamBufferBytes } = fastify.config;
  fastify.get(
    '/v1/events',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: {
        tags: ['event'],
        summary: 'Chaincode events as Server-Sent Events (resume with Last-Event-ID or a named stream)',
        querystring: Query,
        response: {
          ...errorResponses,
          200: {
            description: 'Server-Sent Events: `id: <block>:<transaction id>`, `event: regchain`, `data: { transactionId, blockNumber, events }`',
            content: { 'text/event-stream': { schema: {} } },
          },
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      if ((open.get(caller.id) ?? 0) >= maxStreamsPerCaller) {
        throw new ApiError(429, 'STREAM_LIMIT', `caller ${caller.id} already has ${maxStreamsPerCaller} event streams open; close one first`, {
          retryAfter: 5,
        });
      }
      // Reserved before the first await, so parallel opens cannot all pass the check; released if opening fails.
      open.set(caller.id, (open.get(caller.id) ?? 0) + 1);
      const release = (): void => void open.set(caller.id, (open.get(caller.id) ?? 1) - 1);
      const query = request.query;
      const lastEventId = typeof request.headers['last-event-id'] === 'string' ? request.headers['last-event-id'] : undefined;
      const types = query.types ? new Set(query.types.split(',')) : undefined;
      let events;
      let checkpointer;
      try {
        checkpointer = await checkpointFor(fastify.config.dataDir, caller, query.stream, lastEventId);
        const resumes = checkpointer.getBlockNumber() !== undefined;
        events = await fastify.ledger.chaincodeEvents(caller, {
          checkpoint: checkpointer,
          ...(!resumes && query.fromBlock ? { startBlock: BigInt(query.fromBlock) } : {}),
        });
      } catch (err) {
        release();
        throw err instanceof ApiError ? err : fromFabric(err);
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': request.id,
      });
      raw.write('retry: 2000\n\n');
      fastify.metrics.streamClients.inc();
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      const stop = (): void => {
        clearInterval(heartbeat);
        events.close();
      };
      raw.on('close', stop);
      // The named checkpoint advances only once an event has left the buffer, so a dropped reader resumes
      // from what it really received.
      let saved = Promise.resolve();
      const flushed =
        (event: Parameters<Checkpointer['checkpointChaincodeEvent']>[0]) =>
        (err?: Error | null): void => {
          if (!err) saved = saved.then(() => checkpointer.checkpointChaincodeEvent(event)).catch(() => undefined);
        };
      try {
        for await (const event of events) {
          const parsed = parseEvent(event.eventName, event.payload);
          if (typeof parsed === 'string') {
            fastify.metrics.streamEventsSkipped.inc({ reason: parsed });
            request.log.warn(
              { transactionId: event.transactionId, blockNumber: event.blockNumber.toString(), eventName: event.eventName, reason: parsed },
              'skipped an event the stream cannot read',
            );
            raw.write(': skipped\n\n', flushed(event));
            continue;
          }
          const selected = types ? parsed.events.filter((e) => types.has(e.type)) : parsed.events;
          const chunk =
            selected.length > 0
              ? `id: ${event.blockNumber}:${event.transactionId}\nevent: regchain\ndata: ${JSON.stringify({ transactionId: event.transactionId, blockNumber: event.blockNumber.toString(), events: selected })}\n\n`
              : ': filtered\n\n';
          raw.write(chunk, flushed(event));
          if (raw.writableLength > streamBufferBytes) {
            // A reader this far behind is dropped rather than buffered without bound; it resumes with Last-Event-ID.
            fastify.metrics.streamDrops.inc();
            request.log.warn({ buffered: raw.writableLength, caller: caller.id }, 'dropped a slow event-stream reader');
            raw.destroy();
            break;
          }
        }
      } catch (err) {
        if (!raw.destroyed) request.log.warn({ err }, 'event stream ended by the network');
      } finally {
        stop();
        release();
        fastify.metrics.streamClients.dec();
        if (!raw.destroyed) raw.end();
        await saved;
      }
    },
  );
};

export default eventRoutes;
