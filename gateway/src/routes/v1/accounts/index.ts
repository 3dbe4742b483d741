// Accounts funds move between: opened by a bank, an enterprise for itself, or the regulator.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountOpenInput, AccountRecord, Id, ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const accounts: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/accounts',
    { config: { roles: ['regulator', 'bank', 'enterprise'] }, schema: submitting('account', 'Open an account', 201, { body: AccountOpenInput }) },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'transfer:openAccount', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/accounts/:accountId',
    {
      config: { roles: ROLES },
      schema: { tags: ['account'], summary: 'Read an account', params: Type.Object({ accountId: Id }, strict), response: answers(AccountRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'transfer:getAccount', input: { accountId: request.params.accountId } }),
  );
};

export default accounts;
