// Every REST resource the chaincode offers, as a table: route, chaincode function, roles, schemas, input.
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import type { Role } from '@regchain/common';
import {
  AccountOpenInput,
  CreditCode,
  FilingSubmitInput,
  Id,
  PersonInCharge,
  ProjectCreateInput,
  RulePublishInput,
  TransferInput,
  WatchlistAddInput,
} from '@regchain/common';

const strict = { additionalProperties: false } as const;
/** Query strings arrive as text: numbers and flags are patterns here and converted when the input is built. */
const QInt = Type.String({ pattern: '^[0-9]{1,4}$' });
const QBool = Type.Union([Type.Literal('true'), Type.Literal('false')]);
const Note = Type.String({ maxLength: 1000 });
const RequiredNote = Type.String({ minLength: 1, maxLength: 1000 });

const ALL: readonly Role[] = ['regulator', 'enterprise', 'bank', 'auditor'];

/** A request's parts after schema validation: the route's own schema says what each holds. */
export interface RequestParts {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  /** The domain word: OpenAPI tag, chaincode contract and test file share it. */
  readonly tag: 'filing' | 'rule' | 'watchlist' | 'account' | 'project' | 'transfer' | 'trace' | 'alert' | 'statistics' | 'public';
  readonly summary: string;
  readonly fn: string;
  readonly kind: 'submit' | 'evaluate';
  readonly roles: readonly Role[];
  readonly params?: TObject;
  readonly query?: TObject;
  readonly body?: TSchema;
  readonly created?: boolean;
  /** Public routes need no API key; they run under the gateway's public identity. */
  readonly public?: boolean;
  readonly input: (r: RequestParts) => unknown;
  readonly transient?: (r: RequestParts) => Record<string, unknown> | undefined;
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const defined = <T extends Record<string, unknown>>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const FilingParams = Type.Object({ filingId: Id }, strict);
const RuleParams = Type.Object({ ruleId: Id }, strict);
const AlertParams = Type.Object({ alertId: Id }, strict);
const Paging = { pageSize: Type.Optional(QInt), bookmark: Type.Optional(Type.String({ maxLength: 1024 })) };

export const FilingCreateBody = Type.Object({ ...FilingSubmitInput.properties, personInCharge: PersonInCharge }, strict);
export const FilingAmendBody = Type.Object(
  { service: FilingSubmitInput.properties.service, attachments: FilingSubmitInput.properties.attachments, personInCharge: Type.Optional(PersonInCharge) },
  strict,
);

function decision(action: string, fn: string, summary: string, noteRequired: boolean, roles: readonly Role[] = ['regulator']): Operation {
  return {
    method: 'POST',
    url: `/v1/filings/:filingId/${action}`,
    tag: 'filing',
    summary,
    fn: `filing:${fn}`,
    kind: 'submit',
    roles,
    params: FilingParams,
    body: Type.Object({ note: noteRequired ? RequiredNote : Type.Optional(Note) }, strict),
    input: (r) => ({ filingId: r.params.filingId, note: r.body?.note ?? '' }),
  };
}

function alertMove(action: string, fn: string, summary: string): Operation {
  return {
    method: 'POST',
    url: `/v1/alerts/:alertId/${action}`,
    tag: 'alert',
    summary,
    fn: `alert:${fn}`,
    kind: 'submit',
    roles: ['regulator'],
    params: AlertParams,
    body: Type.Object({ note: RequiredNote }, strict),
    input: (r) => ({ alertId: r.params.alertId, note: r.body.note }),
  };
}

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    url: '/v1/filings',
    tag: 'filing',
    summary: 'Submit a filing (person in charge kept as private data)',
    fn: 'filing:submit',
    kind: 'submit',
    roles: ['enterprise'],
    created: true,
    body: FilingCreateBody,
    input: (r) => ({ applicant: r.body.applicant, service: r.body.service, attachments: r.body.attachments }),
    transient: (r) => ({ personInCharge: r.body.personInCharge }),
  },
  {
    method: 'GET',
    url: '/v1/filings',
    tag: 'filing',
    summary: 'List filings by status, entity or category',
    fn: 'filing:list',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'enterprise'],
    query: Type.Object(
      {
        status: Type.Optional(Type.String({ maxLength: 32 })),
        entityId: Type.Optional(CreditCode),
        category: Type.Optional(Type.String({ maxLength: 32 })),
        ...Paging,
      },
      strict,
    ),
    input: (r) =>
      defined({ status: r.query.status, entityId: r.query.entityId, category: r.query.category, pageSize: num(r.query.pageSize), bookmark: r.query.bookmark }),
  },
  {
    method: 'GET',
    url: '/v1/filings/:filingId',
    tag: 'filing',
    summary: 'Read a filing',
    fn: 'filing:get',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'enterprise'],
    params: FilingParams,
    input: (r) => ({ filingId: r.params.filingId }),
  },
  {
    method: 'PUT',
    url: '/v1/filings/:filingId',
    tag: 'filing',
    summary: 'Amend a filing',
    fn: 'filing:amend',
    kind: 'submit',
    roles: ['enterprise'],
    params: FilingParams,
    body: FilingAmendBody,
    input: (r) => ({ filingId: r.params.filingId, service: r.body.service, attachments: r.body.attachments }),
    transient: (r) => (r.body.personInCharge ? { personInCharge: r.body.personInCharge } : undefined),
  },
  decision('review', 'startReview', 'Take a filing under review', false),
  decision('approve', 'approve', 'Approve a filing and issue its filing number', false),
  decision('return', 'returnForCorrection', 'Return a filing for correction, with the reason', true),
  decision('reject', 'reject', 'Reject a filing, with the reason', true),
  decision('deregister', 'deregister', 'Deregister a filing', true, ['enterprise', 'regulator']),
  {
    method: 'GET',
    url: '/v1/filings/:filingId/history',
    tag: 'filing',
    summary: 'Who did what to a filing, and when',
    fn: 'filing:history',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'enterprise'],
    params: FilingParams,
    input: (r) => ({ filingId: r.params.filingId }),
  },
  {
    method: 'GET',
    url: '/v1/filings/:filingId/person-in-charge',
    tag: 'filing',
    summary: "The person in charge's personal data (private data)",
    fn: 'filing:getPersonInCharge',
    kind: 'evaluate',
    roles: ['regulator', 'enterprise'],
    params: FilingParams,
    input: (r) => ({ filingId: r.params.filingId }),
  },
  {
    method: 'GET',
    url: '/v1/public/filings/:filingNumber',
    tag: 'public',
    summary: 'Verify a filing number (public fields only)',
    fn: 'filing:lookup',
    kind: 'evaluate',
    roles: ALL,
    public: true,
    params: Type.Object({ filingNumber: Type.String({ minLength: 1, maxLength: 64 }) }, strict),
    input: (r) => ({ filingNumber: r.params.filingNumber }),
  },

  {
    method: 'POST',
    url: '/v1/rules',
    tag: 'rule',
    summary: 'Publish a rule or its next version',
    fn: 'rule:publish',
    kind: 'submit',
    roles: ['regulator'],
    body: RulePublishInput,
    created: true,
    input: (r) => r.body,
  },
  {
    method: 'GET',
    url: '/v1/rules',
    tag: 'rule',
    summary: 'List rules',
    fn: 'rule:list',
    kind: 'evaluate',
    roles: ALL,
    query: Type.Object({ includeInactive: Type.Optional(QBool) }, strict),
    input: (r) => defined({ includeInactive: r.query.includeInactive === undefined ? undefined : r.query.includeInactive === 'true' }),
  },
  {
    method: 'GET',
    url: '/v1/rules/:ruleId',
    tag: 'rule',
    summary: 'Read a rule',
    fn: 'rule:get',
    kind: 'evaluate',
    roles: ALL,
    params: RuleParams,
    input: (r) => ({ ruleId: r.params.ruleId }),
  },
  {
    method: 'GET',
    url: '/v1/rules/:ruleId/versions',
    tag: 'rule',
    summary: 'Every version of a rule',
    fn: 'rule:versions',
    kind: 'evaluate',
    roles: ALL,
    params: RuleParams,
    input: (r) => ({ ruleId: r.params.ruleId }),
  },
  {
    method: 'POST',
    url: '/v1/rules/:ruleId/deactivate',
    tag: 'rule',
    summary: 'Deactivate a rule (never deleted)',
    fn: 'rule:deactivate',
    kind: 'submit',
    roles: ['regulator'],
    params: RuleParams,
    input: (r) => ({ ruleId: r.params.ruleId }),
  },

  {
    method: 'GET',
    url: '/v1/watchlist',
    tag: 'watchlist',
    summary: 'Watchlist entries',
    fn: 'rule:watchlist',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'bank'],
    query: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('entity'), Type.Literal('account')])), includeRemoved: Type.Optional(QBool) }, strict),
    input: (r) => defined({ kind: r.query.kind, includeRemoved: r.query.includeRemoved === undefined ? undefined : r.query.includeRemoved === 'true' }),
  },
  {
    method: 'POST',
    url: '/v1/watchlist',
    tag: 'watchlist',
    summary: 'Put an entity or account on the watchlist',
    fn: 'rule:watch',
    kind: 'submit',
    roles: ['regulator'],
    body: WatchlistAddInput,
    created: true,
    input: (r) => r.body,
  },
  {
    method: 'POST',
    url: '/v1/watchlist/:kind/:value/remove',
    tag: 'watchlist',
    summary: 'Take an entry off the watchlist',
    fn: 'rule:unwatch',
    kind: 'submit',
    roles: ['regulator'],
    params: Type.Object({ kind: Type.Union([Type.Literal('entity'), Type.Literal('account')]), value: Id }, strict),
    body: Type.Object({ note: RequiredNote }, strict),
    input: (r) => ({ kind: r.params.kind, value: r.params.value, note: r.body.note }),
  },

  {
    method: 'POST',
    url: '/v1/accounts',
    tag: 'account',
    summary: 'Open an account',
    fn: 'transfer:openAccount',
    kind: 'submit',
    roles: ['regulator', 'bank', 'enterprise'],
    body: AccountOpenInput,
    created: true,
    input: (r) => r.body,
  },
  {
    method: 'GET',
    url: '/v1/accounts/:accountId',
    tag: 'account',
    summary: 'Read an account',
    fn: 'transfer:getAccount',
    kind: 'evaluate',
    roles: ALL,
    params: Type.Object({ accountId: Id }, strict),
    input: (r) => ({ accountId: r.params.accountId }),
  },

  {
    method: 'POST',
    url: '/v1/projects',
    tag: 'project',
    summary: 'Create a project with budgets by purpose',
    fn: 'transfer:createProject',
    kind: 'submit',
    roles: ['regulator', 'bank'],
    body: ProjectCreateInput,
    created: true,
    input: (r) => r.body,
  },
  {
    method: 'GET',
    url: '/v1/projects/:projectId',
    tag: 'project',
    summary: 'Read a project and its spending by purpose',
    fn: 'transfer:getProject',
    kind: 'evaluate',
    roles: ALL,
    params: Type.Object({ projectId: Id }, strict),
    input: (r) => ({ projectId: r.params.projectId }),
  },
  {
    method: 'GET',
    url: '/v1/projects/:projectId/flows',
    tag: 'trace',
    summary: "Where a project's money went, by purpose",
    fn: 'trace:projectFlows',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'bank'],
    params: Type.Object({ projectId: Id }, strict),
    query: Type.Object({ depth: Type.Optional(QInt) }, strict),
    input: (r) => defined({ projectId: r.params.projectId, depth: num(r.query.depth) }),
  },

  {
    method: 'POST',
    url: '/v1/transfers',
    tag: 'transfer',
    summary: 'Record a transfer (checked against every active rule)',
    fn: 'transfer:record',
    kind: 'submit',
    roles: ['bank', 'enterprise'],
    body: TransferInput,
    created: true,
    input: (r) => r.body,
  },
  {
    method: 'POST',
    url: '/v1/transfers/check',
    tag: 'transfer',
    summary: 'Would this transfer comply? (dry run, writes nothing)',
    fn: 'transfer:checkTransfer',
    kind: 'evaluate',
    roles: ['bank', 'enterprise', 'regulator'],
    body: TransferInput,
    input: (r) => r.body,
  },
  {
    method: 'GET',
    url: '/v1/transfers/:transferId',
    tag: 'transfer',
    summary: 'Read a transfer',
    fn: 'transfer:get',
    kind: 'evaluate',
    roles: ALL,
    params: Type.Object({ transferId: Id }, strict),
    input: (r) => ({ transferId: r.params.transferId }),
  },

  {
    method: 'GET',
    url: '/v1/traces',
    tag: 'trace',
    summary: 'Trace funds forward or backward from an account or a transfer',
    fn: 'trace:flows',
    kind: 'evaluate',
    roles: ['regulator', 'auditor', 'bank'],
    query: Type.Object(
      {
        accountId: Type.Optional(Id),
        transferId: Type.Optional(Id),
        direction: Type.Union([Type.Literal('forward'), Type.Literal('backward')]),
        depth: Type.Optional(QInt),
        fromTime: Type.Optional(Type.String({ maxLength: 30 })),
        toTime: Type.Optional(Type.String({ maxLength: 30 })),
        maxNodes: Type.Optional(QInt),
        maxEdges: Type.Optional(QInt),
        pageSize: Type.Optional(QInt),
        bookmark: Type.Optional(Type.String({ pattern: '^[0-9]{0,6}$' })),
      },
      strict,
    ),
    input: (r) =>
      defined({ ...r.query, depth: num(r.query.depth), maxNodes: num(r.query.maxNodes), maxEdges: num(r.query.maxEdges), pageSize: num(r.query.pageSize) }),
  },

  {
    method: 'GET',
    url: '/v1/alerts',
    tag: 'alert',
    summary: 'List alerts by status, rule or severity',
    fn: 'alert:list',
    kind: 'evaluate',
    roles: ['regulator', 'auditor'],
    query: Type.Object(
      { status: Type.Optional(Type.String({ maxLength: 32 })), ruleId: Type.Optional(Id), severity: Type.Optional(Type.String({ maxLength: 16 })), ...Paging },
      strict,
    ),
    input: (r) =>
      defined({ status: r.query.status, ruleId: r.query.ruleId, severity: r.query.severity, pageSize: num(r.query.pageSize), bookmark: r.query.bookmark }),
  },
  {
    method: 'GET',
    url: '/v1/alerts/:alertId',
    tag: 'alert',
    summary: 'Read an alert',
    fn: 'alert:get',
    kind: 'evaluate',
    roles: ['regulator', 'auditor'],
    params: AlertParams,
    input: (r) => ({ alertId: r.params.alertId }),
  },
  {
    method: 'GET',
    url: '/v1/alerts/:alertId/history',
    tag: 'alert',
    summary: "An alert's history",
    fn: 'alert:history',
    kind: 'evaluate',
    roles: ['regulator', 'auditor'],
    params: AlertParams,
    input: (r) => ({ alertId: r.params.alertId }),
  },
  alertMove('acknowledge', 'acknowledge', 'Acknowledge an alert'),
  alertMove('resolve', 'resolve', 'Resolve an alert'),
  alertMove('false-positive', 'markFalsePositive', 'Mark an alert a false positive'),

  {
    method: 'GET',
    url: '/v1/statistics',
    tag: 'statistics',
    summary: 'Filings, alerts and transfers counted',
    fn: 'trace:statistics',
    kind: 'evaluate',
    roles: ['regulator', 'auditor'],
    input: () => ({}),
  },
];
