// Transfers: recorded by banks and enterprises, each checked against every active rule; and the dry run.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Id,
  ROLES,
  TRANSFERS_CSV_COLUMNS,
  TransferBatchInput,
  TransferInput,
  TransferRecord,
  TransferSettingsInput,
  TransferSettingsRecord,
  TransferVerdict,
} from '@regchain/common';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { answers, errorResponses } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const UploadStatus = Type.Object(
  {
    uploadId: Type.String(),
    status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    total: Type.Integer(),
    processed: Type.Integer(),
    recorded: Type.Integer(),
    alreadyRecorded: Type.Integer({ description: 'rows found recorded already (a batch sent again after a crash, or a reference used before)' }),
    failed: Type.Integer(),
    failures: Type.Array(Type.Object({ line: Type.Integer(), code: Type.String(), message: Type.String() })),
    error: Type.Optional(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  {
    description: "An upload's progress",
    examples: [
      {
        uploadId: 'UPL-0a1b2c3d4e5f6a7b8c',
        status: 'running',
        total: 1000,
        processed: 400,
        recorded: 398,
        alreadyRecorded: 0,
        failed: 2,
        failures: [],
        createdAt: '2026-11-23T02:00:00.000Z',
        updatedAt: '2026-11-23T02:00:04.000Z',
      },
    ],
  },
);
const UploadParams = Type.Object({ uploadId: Type.String({ maxLength: 64 }) }, strict);

const transfers: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/transfers',
    {
      config: { roles: ['bank', 'enterprise'] },
      schema: submitting('transfer', 'Record a transfer (checked against every active rule)', 201, { body: TransferInput }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'transfer:record', input: request.body }, answer(201, request.query)),
  );

  fastify.post(
    '/v1/transfers/check',
    {
      config: { roles: ['bank', 'enterprise', 'regulator'] },
      schema: { tags: ['transfer'], summary: 'Would this transfer comply? (dry run, writes nothing)', body: TransferInput, response: answers(TransferVerdict) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:checkTransfer', input: request.body }),
  );

  fastify.post(
    '/v1/transfers/batch',
    {
      config: { roles: ['bank', 'enterprise'] },
      // 500 transfers of up to about 600 bytes each, as the chaincode allows.
      bodyLimit: 512 * 1024,
      schema: submitting(
        'transfer',
        'Record up to 500 transfers in one transaction, each checked as if recorded after the ones before it (atomic, or partial with a result per item)',
        200,
        { body: TransferBatchInput },
      ),
    },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'transfer:recordBatch', input: request.body }, answer(200, request.query)),
  );

  fastify.get(
    '/v1/transfers/settings',
    {
      config: { roles: ROLES },
      schema: { tags: ['transfer'], summary: "The channel's limits on business time", response: answers(TransferSettingsRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:settings', input: {} }),
  );

  fastify.put(
    '/v1/transfers/settings',
    {
      config: { roles: ['regulator'] },
      schema: submitting('transfer', 'Set how far back business time may lie (null: any, for a back-test network)', 200, { body: TransferSettingsInput }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'transfer:configure', input: request.body }, answer(200, request.query)),
  );

  // CSV files are not read here: the upload streams them to a worker thread that checks them as they arrive, up
  // to the upload limit; every other route keeps the JSON body limit.
  fastify.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  fastify.post(
    '/v1/transfers/uploads',
    {
      config: { roles: ['bank', 'enterprise'] },
      bodyLimit: fastify.config.uploadBodyLimit,
      // The body is a stream the upload checks itself (schema.body documents it for OpenAPI only).
      validatorCompiler: () => () => true,
      schema: {
        tags: ['transfer'],
        summary: `Upload a CSV of transfers (header ${TRANSFERS_CSV_COLUMNS.join(',')}; optional purpose, currency): checked whole, then recorded in batches; follow the status URL`,
        consumes: ['text/csv'],
        body: Type.String({ description: 'CSV, UTF-8, amounts in fen, executedAt in ISO 8601 UTC' }),
        response: { ...errorResponses, 202: UploadStatus },
      },
    },
    async (request, reply) => {
      const status = await fastify.uploads.upload(callerOf(request).id, request.body as unknown as Readable, fastify.config.uploadBodyLimit);
      return reply.code(202).header('location', `/v1/transfers/uploads/${status.uploadId}`).send(status);
    },
  );

  fastify.get(
    '/v1/transfers/uploads/:uploadId',
    {
      config: { roles: ['bank', 'enterprise'] },
      schema: {
        tags: ['transfer'],
        summary: "An upload's progress: rows recorded, already recorded, failed (with line and reason)",
        params: UploadParams,
        response: answers(UploadStatus),
      },
    },
    async (request) => fastify.uploads.status(callerOf(request).id, request.params.uploadId),
  );

  fastify.get(
    '/v1/transfers/:transferId',
    {
      config: { roles: ROLES },
      schema: { tags: ['transfer'], summary: 'Read a transfer', params: Type.Object({ transferId: Id }, strict), response: answers(TransferRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:get', input: { transferId: request.params.transferId } }),
  );
};

export default transfers;
