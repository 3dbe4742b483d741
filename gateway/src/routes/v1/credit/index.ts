// Credit files and grades: the regulator records sanctions, commendations and late reports, publishes the scoring
// model and decides objections; an entity reads its own file and objects; every member reads another entity's
// standing (its grade and sanctions in publication). The public lookup is in ../public.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CommendationInput,
  CreditCode,
  CreditFileRecord,
  CreditModelPublishInput,
  CreditModelRecord,
  CreditStandingRecord,
  CreditStatisticsRecord,
  Id,
  IsoTime,
  LateReportInput,
  OBJECTION_STATUSES,
  ObjectionDecisionInput,
  ObjectionInput,
  ObjectionRecord,
  ROLES,
  type Role,
  SanctionInput,
} from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, num, QInt, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const SUPERVISORS: Role[] = ['regulator', 'auditor'];
const Entity = Type.Object({ entityId: CreditCode }, strict);
const { entityId: _entity, entryId: _entry, ...decision } = ObjectionDecisionInput.properties;
const DecisionBody = Type.Object(decision, strict);

const credit: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/v1/credit/model',
    {
      config: { roles: ['regulator'] },
      schema: submitting('credit', 'Publish the next version of the credit scoring model', 201, { body: CreditModelPublishInput }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'credit:publishModel', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/credit/model',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['credit'],
        summary: 'The scoring model in force, or one version of it',
        querystring: Type.Object({ version: Type.Optional(QInt) }, strict),
        response: answers(CreditModelRecord),
      },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'credit:model', input: defined({ version: num(request.query.version) }) }),
  );

  fastify.post(
    '/v1/credit/sanctions',
    {
      config: { roles: ['regulator'] },
      schema: submitting('credit', 'Record an administrative sanction, published for its period', 201, { body: SanctionInput }),
    },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'credit:recordSanction', input: request.body }, answer(201, request.query)),
  );

  fastify.post(
    '/v1/credit/commendations',
    { config: { roles: ['regulator'] }, schema: submitting('credit', 'Record a commendation', 201, { body: CommendationInput }) },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'credit:recordCommendation', input: request.body }, answer(201, request.query)),
  );

  fastify.post(
    '/v1/credit/late-reports',
    {
      config: { roles: ['regulator'] },
      schema: submitting('credit', 'File transfers recorded later than the model allows: one entry per reporter and day', 201, { body: LateReportInput }),
    },
    async (request, reply) =>
      fastify.submit(request, reply, callerOf(request), { fn: 'credit:recordLateReports', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/credit/entities/:entityId',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['credit'],
        summary: "An entity's standing: its grade and sanctions in publication",
        params: Entity,
        response: answers(CreditStandingRecord),
      },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'credit:lookup', input: { entityId: request.params.entityId } }),
  );

  fastify.get(
    '/v1/credit/entities/:entityId/file',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['credit'],
        summary: "An entity's whole credit file, score, grade and every contribution (members: their own only)",
        params: Entity,
        querystring: Type.Object({ at: Type.Optional(IsoTime) }, strict),
        response: answers(CreditFileRecord),
      },
    },
    async (request) =>
      fastify.ledger.evaluate(callerOf(request), { fn: 'credit:file', input: defined({ entityId: request.params.entityId, at: request.query.at }) }),
  );

  fastify.post(
    '/v1/credit/objections',
    { config: { roles: ['enterprise', 'bank'] }, schema: submitting('credit', 'Object to an entry in your own credit file', 201, { body: ObjectionInput }) },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'credit:object', input: request.body }, answer(201, request.query)),
  );

  fastify.get(
    '/v1/credit/objections',
    {
      config: { roles: SUPERVISORS },
      schema: {
        tags: ['credit'],
        summary: 'Entries under objection (open unless a status is asked for)',
        querystring: Type.Object({ status: Type.Optional(Type.Union(OBJECTION_STATUSES.map((s) => Type.Literal(s)))) }, strict),
        response: answers(Type.Array(ObjectionRecord)),
      },
    },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'credit:objections', input: defined({ status: request.query.status }) }),
  );

  fastify.post(
    '/v1/credit/objections/:entityId/:entryId/decision',
    {
      config: { roles: ['regulator'] },
      schema: submitting('credit', 'Uphold an entry under objection, or correct what it counts as', 200, {
        params: Type.Object({ entityId: CreditCode, entryId: Id }, strict),
        body: DecisionBody,
      }),
    },
    async (request, reply) =>
      fastify.submit(
        request,
        reply,
        callerOf(request),
        { fn: 'credit:decideObjection', input: { ...request.params, ...request.body } },
        answer(200, request.query),
      ),
  );

  fastify.get(
    '/v1/credit/statistics',
    {
      config: { roles: SUPERVISORS },
      schema: {
        tags: ['credit'],
        summary: 'How many entities held each grade, at evenly spaced moments',
        querystring: Type.Object(
          { from: Type.Optional(IsoTime), to: Type.Optional(IsoTime), points: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })) },
          strict,
        ),
        response: answers(CreditStatisticsRecord),
      },
    },
    async (request) =>
      fastify.ledger.evaluate(callerOf(request), {
        fn: 'credit:statistics',
        input: defined({ from: request.query.from, to: request.query.to, points: num(request.query.points) }),
      }),
  );
};

export default credit;
