// Filings: an enterprise submits and amends; the regulator reviews, approves with a number, returns or rejects.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreditCode, FilingHistory, FilingRecord, FilingSubmitInput, Id, PageOf, PersonInCharge, PersonInChargeRecord, type Role } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, Note, num, Paging, RequiredNote, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

export const FilingCreateBody = Type.Object({ ...FilingSubmitInput.properties, personInCharge: PersonInCharge }, strict);
export const FilingAmendBody = Type.Object(
  { service: FilingSubmitInput.properties.service, attachments: FilingSubmitInput.properties.attachments, personInCharge: Type.Optional(PersonInCharge) },
  strict,
);
const Params = Type.Object({ filingId: Id }, strict);
const FilingPage = PageOf(FilingRecord, 'A page of filings');
const READERS: Role[] = ['regulator', 'auditor', 'enterprise'];

/** The regulator's decisions (and an enterprise's deregistration): a note, required where a reason is owed. */
const DECISIONS = [
  { action: 'review', fn: 'startReview', summary: 'Take a filing under review', reason: false, roles: ['regulator'] },
  { action: 'approve', fn: 'approve', summary: 'Approve a filing and issue its filing number', reason: false, roles: ['regulator'] },
  { action: 'return', fn: 'returnForCorrection', summary: 'Return a filing for correction, with the reason', reason: true, roles: ['regulator'] },
  { action: 'reject', fn: 'reject', summary: 'Reject a filing, with the reason', reason: true, roles: ['regulator'] },
  { action: 'deregister', fn: 'deregister', summary: 'Deregister a filing', reason: true, roles: ['enterprise', 'regulator'] },
] as const;

const filings: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/filings',
    {
      config: { roles: ['enterprise'] },
      schema: submitting('filing', 'Submit a filing (person in charge kept as private data)', 201, { body: FilingCreateBody }),
    },
    async (request, reply) => {
      const { personInCharge, ...filing } = request.body;
      return fastify.submit(
        request,
        reply,
        callerOf(request),
        { fn: 'filing:submit', input: filing, transient: { personInCharge } },
        answer(201, request.query),
      );
    },
  );

  fastify.get(
    '/v1/filings',
    {
      config: { roles: READERS },
      schema: {
        tags: ['filing'],
        summary: 'List filings by status, entity or category',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ maxLength: 32 })),
            entityId: Type.Optional(CreditCode),
            category: Type.Optional(Type.String({ maxLength: 32 })),
            ...Paging,
          },
          strict,
        ),
        response: answers(FilingPage),
      },
    },
    async (request) => {
      const { status, entityId, category, pageSize, bookmark } = request.query;
      return fastify.ledger.evaluate(callerOf(request), {
        fn: 'filing:list',
        input: defined({ status, entityId, category, pageSize: num(pageSize), bookmark }),
      });
    },
  );

  fastify.get(
    '/v1/filings/:filingId',
    { config: { roles: READERS }, schema: { tags: ['filing'], summary: 'Read a filing', params: Params, response: answers(FilingRecord) } },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'filing:get', input: { filingId: request.params.filingId } }),
  );

  fastify.put(
    '/v1/filings/:filingId',
    { config: { roles: ['enterprise'] }, schema: submitting('filing', 'Amend a filing', 200, { params: Params, body: FilingAmendBody }) },
    async (request, reply) => {
      const { personInCharge, service, attachments } = request.body;
      return fastify.submit(
        request,
        reply,
        callerOf(request),
        {
          fn: 'filing:amend',
          input: { filingId: request.params.filingId, service, attachments },
          ...(personInCharge ? { transient: { personInCharge } } : {}),
        },
        answer(200, request.query),
      );
    },
  );

  for (const d of DECISIONS) {
    fastify.post(
      `/v1/filings/:filingId/${d.action}`,
      {
        config: { roles: d.roles },
        schema: submitting('filing', d.summary, 200, {
          params: Params,
          body: Type.Object({ note: d.reason ? RequiredNote : Type.Optional(Note) }, strict),
        }),
      },
      async (request, reply) =>
        fastify.submit(
          request,
          reply,
          callerOf(request),
          { fn: `filing:${d.fn}`, input: { filingId: request.params.filingId, note: request.body.note ?? '' } },
          answer(200, request.query),
        ),
    );
  }

  fastify.get(
    '/v1/filings/:filingId/history',
    {
      config: { roles: READERS },
      schema: { tags: ['filing'], summary: 'Who did what to a filing, and when', params: Params, response: answers(FilingHistory) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'filing:history', input: { filingId: request.params.filingId } }),
  );

  fastify.get(
    '/v1/filings/:filingId/person-in-charge',
    {
      config: { roles: ['regulator', 'enterprise'] },
      schema: { tags: ['filing'], summary: "The person in charge's personal data (private data)", params: Params, response: answers(PersonInChargeRecord) },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'filing:getPersonInCharge', input: { filingId: request.params.filingId } }),
  );
};

export default filings;
