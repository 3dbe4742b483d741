// Projects with budgets by purpose, and where their money went.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Id, ProjectCreateInput, ProjectFlowsRecord, ProjectRecord, ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, num, QInt, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const Params = Type.Object({ projectId: Id }, strict);

const projects: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/projects',
    {
      config: { roles: ['regulator', 'bank'] },
      schema: submitting('project', 'Create a project with budgets by purpose', 201, { body: ProjectCreateInput }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'project:create', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/projects/:projectId',
    {
      config: { roles: ROLES },
      schema: { tags: ['project'], summary: 'Read a project and its spending by purpose', params: Params, response: answers(ProjectRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'project:get', input: { projectId: request.params.projectId } }),
  );

  fastify.get(
    '/v1/projects/:projectId/flows',
    {
      config: { roles: ['regulator', 'auditor', 'bank'] },
      schema: {
        tags: ['trace'],
        summary: "Where a project's money went, by purpose",
        params: Params,
        querystring: Type.Object({ depth: Type.Optional(QInt) }, strict),
        response: answers(ProjectFlowsRecord),
      },
    },
    async (request) =>
      fastify.ledger.evaluate(callerOf(request), {
        fn: 'trace:projectFlows',
        input: defined({ projectId: request.params.projectId, depth: num(request.query.depth) }),
      }),
  );
};

export default projects;
