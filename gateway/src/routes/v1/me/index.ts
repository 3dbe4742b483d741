// Who the API key belongs to: what the console signs in with to know the caller's role and entity.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { errorResponses } from '../../../schemas/responses';

const Me = Type.Object(
  {
    id: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    mspId: Type.String(),
    entityId: Type.String({ description: 'the credit code or account holder the caller acts for' }),
  },
  { description: 'The caller', examples: [{ id: 'bank1', role: 'bank', mspId: 'BankMSP', entityId: '91500000MA5U000001' }] },
);

const me: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/me',
    { config: { roles: ROLES }, schema: { tags: ['caller'], summary: 'The caller the API key belongs to', response: { ...errorResponses, 200: Me } } },
    async (request) => {
      const { id, role, mspId, entityId } = callerOf(request);
      return { id, role, mspId, entityId };
    },
  );
};

export default me;
