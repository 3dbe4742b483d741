// Compliance rules: the regulator publishes versions and deactivates; every role reads what it may see.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, ROLES, RulePublishInput, RuleRecord } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, flag, QBool, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const Params = Type.Object({ ruleId: Id }, strict);

const rules: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/rules',
    { config: { roles: ['regulator'] }, schema: submitting('rule', 'Publish a rule or its next version', 201, { body: RulePublishInput }) },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'rule:publish', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/rules',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['rule'],
        summary: 'List rules',
        querystring: Type.Object({ includeInactive: Type.Optional(QBool) }, strict),
        response: answers(Type.Array(RuleRecord)),
      },
    },
    async (request) =>
      fastify.ledger.evaluate(callerOf(request), { fn: 'rule:list', input: defined({ includeInactive: flag(request.query.includeInactive) }) }),
  );

  fastify.get(
    '/v1/rules/:ruleId',
    { config: { roles: ROLES }, schema: { tags: ['rule'], summary: 'Read a rule', params: Params, response: answers(RuleRecord) } },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'rule:get', input: { ruleId: request.params.ruleId } }),
  );

  fastify.get(
    '/v1/rules/:ruleId/versions',
    { config: { roles: ROLES }, schema: { tags: ['rule'], summary: 'Every version of a rule', params: Params, response: answers(Type.Array(RuleRecord)) } },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'rule:versions', input: { ruleId: request.params.ruleId } }),
  );

  fastify.post(
    '/v1/rules/:ruleId/deactivate',
    { config: { roles: ['regulator'] }, schema: submitting('rule', 'Deactivate a rule (never deleted)', 200, { params: Params }) },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'rule:deactivate', input: { ruleId: request.params.ruleId } }, answer(200, request.query)),
  );
};

export default rules;
