// The monitor's typology parameters: the regulator publishes a whole set on chain, numbered; the monitor applies it
// from that block. Only the regulator and the auditor read them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { overDefaults, TypologyParameters, TypologyParametersRecord } from '@regchain/common';
import { callerOf } from '../../../plugins/app/authentication';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const typologies: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/typologies',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: {
        tags: ['typology'],
        summary: 'The typology parameters in force (404 before any set is published)',
        response: answers(TypologyParametersRecord),
      },
    },
    async (request) => {
      const record = (await fastify.ledger.evaluate(callerOf(request), { fn: 'typology:get', input: {} })) as { parameters: Record<string, unknown> };
      // In force: a set published before figures were added runs with the defaults for them, as the monitor does.
      return { ...record, parameters: overDefaults(record.parameters) };
    },
  );

  fastify.post(
    '/v1/typologies',
    {
      config: { roles: ['regulator'] },
      schema: submitting('typology', 'Publish a whole set of typology parameters; the chain numbers it', 201, { body: TypologyParameters }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'typology:publish', input: request.body }, answer(201, request.query)),
  );
};

export default typologies;
