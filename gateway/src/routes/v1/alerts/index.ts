// Alerts raised by rules and by the monitor for patterns, and the regulator's workflow on them: acknowledge, resolve,
// false positive.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALERT_STATUSES, AlertHistory, AlertRecord, Id, PageOf, PatternAlertInput, type Role, SEVERITIES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../../plugins/app/authentication';
import { defined, num, Paging, RequiredNote, strict } from '../../../schemas/query';
import { answers } from '../../../schemas/responses';
import { answer, submitting } from '../submitting';

const Params = Type.Object({ alertId: Id }, strict);
const READERS: Role[] = ['regulator', 'auditor'];
const MOVES = [
  { action: 'acknowledge', fn: 'acknowledge', summary: 'Acknowledge an alert' },
  { action: 'resolve', fn: 'resolve', summary: 'Resolve an alert' },
  { action: 'false-positive', fn: 'markFalsePositive', summary: 'Mark an alert a false positive' },
] as const;

const alerts: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/v1/alerts',
    {
      config: { roles: READERS },
      schema: {
        tags: ['alert'],
        summary: 'List alerts by status, rule or severity',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union(ALERT_STATUSES.map((v) => Type.Literal(v)))),
            ruleId: Type.Optional(Id),
            severity: Type.Optional(Type.Union(SEVERITIES.map((v) => Type.Literal(v)))),
            ...Paging,
          },
          strict,
        ),
        response: answers(PageOf(AlertRecord, 'A page of alerts')),
      },
    },
    async (request) => {
      const { status, ruleId, severity, pageSize, bookmark } = request.query;
      return fastify.ledger.evaluate(callerOf(request), { fn: 'alert:list', input: defined({ status, ruleId, severity, pageSize: num(pageSize), bookmark }) });
    },
  );

  fastify.get(
    '/v1/alerts/:alertId',
    { config: { roles: READERS }, schema: { tags: ['alert'], summary: 'Read an alert', params: Params, response: answers(AlertRecord) } },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'alert:get', input: { alertId: request.params.alertId } }),
  );

  fastify.get(
    '/v1/alerts/:alertId/history',
    { config: { roles: READERS }, schema: { tags: ['alert'], summary: "An alert's history", params: Params, response: answers(AlertHistory) } },
    async (request) => fastify.ledger.evaluate(callerOf(request), { fn: 'alert:history', input: { alertId: request.params.alertId } }),
  );

  fastify.post(
    '/v1/alerts/patterns',
    {
      config: { roles: ['regulator'] },
      schema: submitting('alert', "Raise a pattern alert with its evidence (the monitor, with the regulator's identity); once per pattern key", 201, {
        body: PatternAlertInput,
      }),
    },
    async (request, reply) => fastify.submit(request, reply, callerOf(request), { fn: 'alert:raisePattern', input: request.body }, answer(201, request.query)),
  );

  for (const m of MOVES) {
    fastify.post(
      `/v1/alerts/:alertId/${m.action}`,
      { config: { roles: ['regulator'] }, schema: submitting('alert', m.summary, 200, { params: Params, body: Type.Object({ note: RequiredNote }, strict) }) },
      async (request, reply) =>
        fastify.submit(
          request,
          reply,
          callerOf(request),
          { fn: `alert:${m.fn}`, input: { alertId: request.params.alertId, note: request.body.note } },
          answer(200, request.query),
        ),
    );
  }
};

export default alerts;
