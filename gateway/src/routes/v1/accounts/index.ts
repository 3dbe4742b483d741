// Accounts funds move between: opened by a bank, an enterprise for itself, or the regulator.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountOpenInput, AccountRecord, CounterpartiesRecord, Id, IsoTime, ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const accounts: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/accounts',
    { config: { roles: ['regulator', 'bank', 'enterprise'] }, schema: submitting('account', 'Open an account', 201, { body: AccountOpenInput }) },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'account:open', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/accounts/:accountId',
    {
      config: { roles: ROLES },
      schema: { tags: ['account'], summary: 'Read an account', params: Type.Object({ accountId: Id }, strict), response: answers(AccountRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'account:get', input: { accountId: request.params.accountId } }),
  );

  fastify.get(
    '/v1/accounts/:accountId/counterparties',
    {
      config: { roles: ['regulator', 'auditor', 'bank'] },
      schema: {
        tags: ['account'],
        summary: 'Who an account paid and was paid by, over its whole history, from the monitor’s index',
        params: Type.Object({ accountId: Id }, strict),
        querystring: Type.Object(
          {
            fromTime: Type.Optional(IsoTime),
            toTime: Type.Optional(IsoTime),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1 to 1000 (default 100)' })),
          },
          strict,
        ),
        response: answers(CounterpartiesRecord),
      },
    },
    async (request) => {
      const { accountId } = request.params;
      // The chain says whether the caller may see the account (a bank: its own and its customers'); the index then answers.
      await fastify.ledger.evaluate(callerOf(request), { fn: 'account:get', input: { accountId } });
      return fastify.monitorIndex.query('/counterparties', { accountId, ...request.query }, callerOf(request).id);
    },
  );
};

export default accounts;
