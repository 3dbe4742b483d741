// What the chaincode's queries answer, as TypeBox schemas: the gateway documents its responses with them and
// Schemathesis checks every answer against them. Records may gain fields; the ones named here are promised.
import { type TSchema, Type } from '@sinclair/typebox';
import { ALERT_STATUSES, FILING_STATUSES, PROJECT_TYPES, RULE_ACTIONS, SEVERITIES, TYPOLOGIES, WATCH_KINDS } from './vocabulary';
import { ROLES } from './roles';
import { PatternCondition, TypologyParameters } from './typologies';

const oneOf = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Time = Type.String({ description: 'UTC time, ISO 8601' });
const TxId = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Actor = Type.Object({ role: oneOf(ROLES), entityId: Type.String(), mspId: Type.String() });

export const PageOf = <T extends TSchema>(item: T, description: string) =>
  Type.Object({ items: Type.Array(item), bookmark: Type.String({ description: 'pass back for the next page; empty when there is none' }) }, { description });

export const FilingRecord = Type.Object(
  {
    filingId: Type.String(),
    applicant: Type.Object({ name: Type.String(), type: Type.String(), creditCode: Type.String() }),
    service: Type.Object({
      name: Type.String(),
      category: Type.String(),
      form: Type.String(),
      applicationField: Type.String(),
      serverAddresses: Type.Array(Type.String()),
      description: Type.String(),
    }),
    attachments: Type.Array(Type.Object({ name: Type.String(), sha256: Type.String() })),
    personInChargeHash: Type.String({ description: 'SHA-256 of the personal data kept in the private collection' }),
    status: oneOf(FILING_STATUSES),
    filingNumber: Type.Optional(Type.String()),
    reviewNote: Type.Optional(Type.String()),
    revision: Type.Integer(),
    submittedAt: Time,
    updatedAt: Time,
    updatedBy: Actor,
    approvedAt: Type.Optional(Time),
    lastTxId: TxId,
  },
  { description: 'A filing' },
);

export const PublicFilingRecord = Type.Object(
  {
    filingNumber: Type.String(),
    applicantName: Type.String(),
    serviceName: Type.String(),
    category: Type.String(),
    applicationField: Type.String(),
    status: oneOf(FILING_STATUSES),
    approvedAt: Type.Optional(Time),
    current: Type.Boolean({ description: 'true while the filing stays approved: the number may be displayed' }),
  },
  { description: "A filing's public fields" },
);

export const FilingHistory = Type.Array(
  Type.Object({
    txId: TxId,
    time: Time,
    status: Type.Optional(Type.String()),
    by: Type.Optional(Actor),
    revision: Type.Optional(Type.Integer()),
    note: Type.Optional(Type.String()),
    filing: Type.Optional(Type.Union([FilingRecord, Type.Null()])),
  }),
  { description: 'Each change of the filing, oldest first' },
);

export const PersonInChargeRecord = Type.Object(
  { personInCharge: Type.Object({ name: Type.String(), idNumber: Type.String(), phone: Type.String(), email: Type.String() }), hashMatches: Type.Boolean() },
  { description: 'The private data, and whether it still matches the hash on the channel' },
);

export const RuleRecord = Type.Object(
  {
    ruleId: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    name: Type.String(),
    description: Type.String(),
    logic: Type.Unknown({ description: 'JSON Logic' }),
    action: oneOf(RULE_ACTIONS),
    severity: oneOf(SEVERITIES),
    scope: Type.Object({
      purposes: Type.Optional(Type.Array(Type.String())),
      projectTypes: Type.Optional(Type.Array(Type.String())),
      minAmount: Type.Optional(Type.Integer()),
    }),
    active: Type.Boolean(),
    publishedAt: Time,
    publishedBy: Actor,
    lastTxId: TxId,
  },
  { description: 'A version of a rule' },
);

export const WatchlistRecord = Type.Object(
  {
    kind: oneOf(WATCH_KINDS),
    value: Type.String(),
    reason: Type.String(),
    active: Type.Boolean(),
    addedAt: Time,
    updatedAt: Time,
    note: Type.Optional(Type.String()),
    lastTxId: TxId,
  },
  { description: 'A watchlist entry' },
);

export const AccountRecord = Type.Object(
  {
    accountId: Type.String(),
    ownerEntityId: Type.String(),
    name: Type.String(),
    projectId: Type.Optional(Type.String()),
    holderBankId: Type.String(),
    openedAt: Time,
    openedBy: Actor,
  },
  { description: 'An account' },
);

export const ProjectRecord = Type.Object(
  {
    projectId: Type.String(),
    name: Type.String(),
    type: oneOf(PROJECT_TYPES),
    ownerEntityId: Type.String(),
    fundHolderBankId: Type.String(),
    budgets: Type.Array(Type.Object({ purpose: Type.String(), amount: Type.Integer() })),
    createdAt: Time,
    createdBy: Actor,
    spending: Type.Array(Type.Object({ purpose: Type.String(), budget: Type.Integer(), spent: Type.Integer(), remaining: Type.Integer() })),
  },
  { description: 'A project with its budgets and what was spent per purpose' },
);

export const TransferRecord = Type.Object(
  {
    transferId: Type.String(),
    from: Type.String(),
    to: Type.String(),
    amount: Type.Integer({ description: 'fen' }),
    purpose: Type.String(),
    projectId: Type.String(),
    time: Type.Integer({ description: 'business time, seconds since the epoch' }),
    payerEntityId: Type.Optional(Type.String({ description: 'to a member, only on its own side' })),
    payeeEntityId: Type.Optional(Type.String({ description: 'to a member, only on its own side' })),
    payerBankId: Type.Optional(Type.String({ description: 'to a member, only on its own side' })),
    payeeBankId: Type.Optional(Type.String({ description: 'to a member, only on its own side' })),
    currency: Type.Literal('CNY'),
    reference: Type.String(),
    executedAt: Type.String({ description: 'when the payment happened (business time); `time` in seconds' }),
    recordedAt: Type.String({ description: 'when the ledger recorded it' }),
    recordedBy: Type.Optional(Type.Object(Actor.properties, { description: 'to a member, only when it reported the transfer' })),
    alerts: Type.Optional(Type.Array(Type.String(), { description: 'regulator and auditors only' })),
    ruleFailures: Type.Array(Type.Object({ ruleId: Type.String(), version: Type.Integer(), error: Type.String() }), {
      description: 'active rules whose logic failed on the transfer; to a member, BLOCK rules only',
    }),
  },
  {
    description: 'A recorded transfer. A member never sees the alerts it raised, ALERT rules that failed on it, or the other side’s owner, bank or reporter',
  },
);

export const TransferVerdict = Type.Object(
  {
    compliant: Type.Boolean(),
    violations: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
    blockedBy: Type.Array(Type.Object({ ruleId: Type.String(), version: Type.Integer(), name: Type.String() })),
    fired: Type.Optional(Type.Array(Type.Unknown(), { description: 'regulator only' })),
    failed: Type.Optional(Type.Array(Type.Unknown(), { description: 'regulator only' })),
    facts: Type.Optional(Type.Unknown({ description: 'regulator only' })),
  },
  { description: 'Whether the transfer would comply; members see no watchlist status, ALERT rules or facts' },
);

export const TraceRecord = Type.Object(
  {
    start: Type.String(),
    direction: oneOf(['forward', 'backward'] as const),
    nodes: Type.Array(Type.Object({ account: Type.String(), hop: Type.Integer() })),
    edges: Type.Array(
      Type.Object({
        transferId: Type.String(),
        from: Type.String(),
        to: Type.String(),
        amount: Type.Integer(),
        purpose: Type.String(),
        projectId: Type.String(),
        time: Type.Integer(),
        hop: Type.Integer(),
      }),
    ),
    truncated: Type.Boolean({ description: 'a node or edge limit stopped the walk before the requested depth' }),
    source: Type.Optional(oneOf(['ledger', 'index'] as const)),
    asOfBlock: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'index answers: the last block indexed (null before the first)' })),
  },
  { description: 'Where funds went (forward) or came from (backward), hop by hop; from the ledger, or the monitor’s index as of a block' },
);

export const AlertRecord = Type.Object(
  {
    alertId: Type.String(),
    ruleId: Type.String(),
    ruleVersion: Type.Integer(),
    ruleName: Type.String(),
    severity: oneOf(SEVERITIES),
    transferId: Type.String(),
    payerEntityId: Type.String(),
    payeeEntityId: Type.String(),
    amount: Type.Integer(),
    status: oneOf(ALERT_STATUSES),
    raisedAt: Time,
    notes: Type.Array(Type.Object({ status: oneOf(ALERT_STATUSES), note: Type.String(), at: Time, by: Actor })),
    lastTxId: TxId,
    pattern: Type.Optional(
      Type.Object(
        {
          key: Type.String(),
          typology: oneOf(TYPOLOGIES),
          parametersVersion: Type.Integer(),
          score: Type.Number(),
          accounts: Type.Array(Type.String()),
          transferIds: Type.Array(Type.String()),
          conditions: Type.Optional(Type.Array(PatternCondition)),
        },
        { description: "A pattern alert's evidence: the monitor's typology, its parameters' version, the accounts and transfers, and why it was found" },
      ),
    ),
  },
  { description: 'An alert (raised by a rule, or by the monitor for a pattern: ruleId pattern.<typology>) and its workflow notes' },
);

export const AlertHistory = Type.Array(Type.Object({ txId: TxId, alert: Type.Union([AlertRecord, Type.Null()]) }), {
  description: 'Each change of the alert, oldest first',
});

const PurposeSums = Type.Array(Type.Object({ purpose: Type.String(), amount: Type.Integer(), transfers: Type.Integer() }));

export const ProjectFlowsRecord = Type.Object(
  {
    projectId: Type.String(),
    accounts: Type.Array(Type.String()),
    budgets: Type.Array(Type.Object({ purpose: Type.String(), amount: Type.Integer() })),
    spentByPurpose: PurposeSums,
    downstreamByPurpose: PurposeSums,
    truncated: Type.Boolean(),
  },
  { description: "A project's spending by purpose, from its accounts and further downstream" },
);

export const StatisticsRecord = Type.Object(
  {
    filings: Type.Array(Type.Object({ status: Type.String(), category: Type.String(), count: Type.Integer() })),
    alerts: Type.Array(Type.Object({ ruleId: Type.String(), severity: Type.String(), status: Type.String(), count: Type.Integer() })),
    patterns: Type.Array(
      Type.Object({
        typology: oneOf(TYPOLOGIES),
        alerts: Type.Integer(),
        resolved: Type.Integer(),
        falsePositives: Type.Integer(),
        precision: Type.Union([Type.Number(), Type.Null()], { description: 'resolved / (resolved + false positives); null before any is decided' }),
      }),
      { description: "Pattern alerts by typology and the regulator's decisions on them" },
    ),
    transfers: Type.Array(Type.Object({ projectId: Type.String(), purpose: Type.String(), count: Type.Integer(), amount: Type.Integer() })),
    daily: Type.Optional(
      Type.Array(Type.Object({ day: Type.String({ format: 'date' }), transfers: Type.Integer(), amount: Type.Integer(), alerts: Type.Integer() }), {
        description: 'index answers: per UTC day up to the latest transfer, transfers by business time and alerts by when they were raised',
      }),
    ),
    source: Type.Optional(oneOf(['ledger', 'index'] as const)),
    asOfBlock: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'index answers: the last block indexed (null before the first)' })),
  },
  {
    description:
      'Filings by status and category, alerts by rule, severity and status, pattern alerts by typology with their precision, transfers by project and purpose; from the ledger, or the monitor’s index with a daily series',
  },
);

export const CounterpartiesRecord = Type.Object(
  {
    account: Type.String(),
    counterparties: Type.Array(
      Type.Object({
        account: Type.String(),
        paid: Type.Integer({ description: 'fen paid to it' }),
        payments: Type.Integer(),
        received: Type.Integer({ description: 'fen received from it' }),
        receipts: Type.Integer(),
      }),
    ),
    source: Type.Literal('index'),
    asOfBlock: Type.Union([Type.Integer(), Type.Null()]),
  },
  { description: 'Who an account paid and was paid by, largest total first, from the monitor’s index' },
);

export const TransferBatchRecord = Type.Object(
  {
    recorded: Type.Integer(),
    failed: Type.Integer(),
    results: Type.Array(
      Type.Object({
        index: Type.Integer({ minimum: 0 }),
        status: Type.Union([Type.Literal('recorded'), Type.Literal('failed')]),
        transferId: Type.Optional(Type.String()),
        code: Type.Optional(Type.String()),
        message: Type.Optional(Type.String()),
      }),
    ),
  },
  { description: 'One result per item, in order' },
);

export const TransferSettingsRecord = Type.Object(
  { maxBackdateDays: Type.Union([Type.Integer(), Type.Null()], { description: 'null: any business time in the past (a back-test network)' }) },
  { description: "The channel's limits on business time" },
);

export const TypologyParametersRecord = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'raised with every publication; pattern alerts name it' }),
    parameters: TypologyParameters,
    publishedAt: Time,
    publishedBy: Actor,
    lastTxId: TxId,
  },
  { description: 'The typology parameters in force, as the regulator last published them' },
);
