// The input schema of every transaction (TypeBox): the chaincode's edge, and the gateway's request bodies.
import { type Static, type TLiteral, Type } from '@sinclair/typebox';
import {
  ALERT_STATUSES,
  APPLICANT_TYPES,
  APPLICATION_FIELDS,
  FILING_STATUSES,
  PROJECT_TYPES,
  RULE_ACTIONS,
  SERVICE_CATEGORIES,
  SERVICE_FORMS,
  SEVERITIES,
  TYPOLOGIES,
  WATCH_KINDS,
} from './vocabulary';
import { PatternCondition } from './typologies';

const union = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)) as unknown as TLiteral<T[number]>[]);
const strict = { additionalProperties: false } as const;

/** Largest amount of one transfer, in fen (1 trillion yuan): sums stay exact integers. */
export const MAX_AMOUNT = 100_000_000_000_000;

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'letters, digits, dot, dash, underscore; at most 64' });
const creditCode = (description = 'unified social credit code, 18 characters') => Type.String({ pattern: '^[0-9A-Z]{18}$', description });
export const CreditCode = creditCode();
export const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lower-case hex' });
export const Amount = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'integer amount in fen' });
export const Purpose = Type.String({ pattern: '^[a-z][a-z0-9_]{0,47}$', description: 'purpose code, e.g. construction, relief_supplies' });
const isoTime = (description = 'UTC time, ISO 8601') => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$', description });
export const IsoTime = isoTime();
export const PageSize = Type.Integer({ minimum: 1, maximum: 200 });
export const Bookmark = Type.String({ maxLength: 1024 });

export const FilingSubmitInput = Type.Object(
  {
    applicant: Type.Object({ name: Text(200), type: union(APPLICANT_TYPES), creditCode: CreditCode }, strict),
    service: Type.Object(
      {
        name: Text(200),
        category: union(SERVICE_CATEGORIES),
        form: union(SERVICE_FORMS),
        applicationField: union(APPLICATION_FIELDS),
        serverAddresses: Type.Array(Type.String({ pattern: '^[A-Za-z0-9.:\\[\\]-]{1,253}$' }), { minItems: 1, maxItems: 32 }),
        description: Type.String({ maxLength: 2000 }),
      },
      strict,
    ),
    attachments: Type.Array(Type.Object({ name: Text(200), sha256: Sha256 }, strict), { maxItems: 32 }),
  },
  strict,
);
export type FilingSubmitInput = Static<typeof FilingSubmitInput>;

export const FilingAmendInput = Type.Object(
  {
    filingId: Id,
    service: FilingSubmitInput.properties.service,
    attachments: FilingSubmitInput.properties.attachments,
  },
  strict,
);
export type FilingAmendInput = Static<typeof FilingAmendInput>;

/** The person in charge: passed in the transient map, kept in private data, hashed on the channel. */
export const PersonInCharge = Type.Object(
  {
    name: Text(100),
    idNumber: Type.String({ pattern: '^[0-9]{17}[0-9X]$', description: 'resident identity card number' }),
    phone: Type.String({ pattern: '^\\+?[0-9-]{6,20}$' }),
    email: Type.String({ pattern: '^[^@\\s]{1,64}@[^@\\s]{1,190}$' }),
  },
  strict,
);
export type PersonInCharge = Static<typeof PersonInCharge>;

export const FilingDecisionInput = Type.Object({ filingId: Id, note: Type.String({ maxLength: 1000 }) }, strict);
export const FilingReasonInput = Type.Object({ filingId: Id, note: Text(1000) }, strict);
export const FilingIdInput = Type.Object({ filingId: Id }, strict);
export const FilingNumberInput = Type.Object({ filingNumber: Type.String({ minLength: 1, maxLength: 64 }) }, strict);
export const FilingListInput = Type.Object(
  {
    status: Type.Optional(union(FILING_STATUSES)),
    entityId: Type.Optional(CreditCode),
    category: Type.Optional(union(SERVICE_CATEGORIES)),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(Bookmark),
  },
  strict,
);

export const RuleScopeSchema = Type.Object(
  {
    purposes: Type.Optional(Type.Array(Purpose, { maxItems: 50 })),
    projectTypes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 })),
    minAmount: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_AMOUNT })),
  },
  strict,
);
export const RulePublishInput = Type.Object(
  {
    ruleId: Id,
    name: Text(200),
    description: Type.String({ maxLength: 2000 }),
    logic: Type.Unknown(),
    action: union(RULE_ACTIONS),
    severity: union(SEVERITIES),
    scope: Type.Optional(RuleScopeSchema),
  },
  strict,
);
export type RulePublishInput = Static<typeof RulePublishInput>;
export const RuleIdInput = Type.Object({ ruleId: Id }, strict);
export const RuleListInput = Type.Object({ includeInactive: Type.Optional(Type.Boolean()) }, strict);

export const WatchlistAddInput = Type.Object({ kind: union(WATCH_KINDS), value: Id, reason: Text(500) }, strict);
export const WatchlistRemoveInput = Type.Object({ kind: union(WATCH_KINDS), value: Id, note: Text(500) }, strict);
export const WatchlistListInput = Type.Object({ kind: Type.Optional(union(WATCH_KINDS)), includeRemoved: Type.Optional(Type.Boolean()) }, strict);

export const AccountOpenInput = Type.Object(
  {
    accountId: Id,
    ownerEntityId: CreditCode,
    name: Text(200),
    projectId: Type.Optional(Id),
    holderBankId: Type.Optional(creditCode('the bank that holds the account; a bank opening an account holds it itself')),
  },
  strict,
);
export const AccountIdInput = Type.Object({ accountId: Id }, strict);
export const ProjectCreateInput = Type.Object(
  {
    projectId: Id,
    name: Text(200),
    type: union(PROJECT_TYPES),
    ownerEntityId: CreditCode,
    fundHolderBankId: Type.Optional(creditCode("the bank that holds the project's funds; a bank creating a project holds them itself")),
    budgets: Type.Array(Type.Object({ purpose: Purpose, amount: Amount }, strict), { minItems: 1, maxItems: 50 }),
  },
  strict,
);
export const ProjectIdInput = Type.Object({ projectId: Id }, strict);
export const TransferInput = Type.Object(
  {
    fromAccount: Id,
    toAccount: Id,
    amount: Amount,
    currency: Type.Literal('CNY'),
    purpose: Purpose,
    reference: Type.String({ maxLength: 200, description: "the reporter's own reference; unique per reporter when given" }),
    executedAt: Type.Optional(isoTime('when the payment happened (UTC, ISO 8601); the ledger time when omitted')),
  },
  strict,
);
export type TransferInput = Static<typeof TransferInput>;

/** Largest batch of transfers in one transaction. */
export const MAX_BATCH = 500;
export const TRANSFER_BATCH_MODES = ['atomic', 'partial'] as const;
/**
 * Columns every transfers CSV has: the gateway's upload and the monitor's back-test read the same files. Amounts in
 * fen, executedAt ISO 8601; other columns are ignored (the upload also reads `purpose` and `currency`).
 */
export const TRANSFERS_CSV_COLUMNS = ['reference', 'payerAccount', 'payeeAccount', 'amount', 'executedAt'] as const;

export const TransferBatchInput = Type.Object(
  {
    items: Type.Array(TransferInput, { minItems: 1, maxItems: MAX_BATCH }),
    mode: Type.Optional(
      Type.Union(
        TRANSFER_BATCH_MODES.map((m) => Type.Literal(m)),
        { description: 'atomic (default): all or nothing; partial: the valid ones, with a result per item' },
      ),
    ),
  },
  strict,
);
export type TransferBatchInput = Static<typeof TransferBatchInput>;
export const TransferSettingsInput = Type.Object(
  {
    maxBackdateDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()], {
      description: 'how many days before the ledger time a transfer may have been executed; null allows any (a back-test network)',
    }),
  },
  strict,
);
export const TransferIdInput = Type.Object({ transferId: Id }, strict);

export const TraceInput = Type.Object(
  {
    accountId: Type.Optional(Id),
    transferId: Type.Optional(Id),
    direction: union(['forward', 'backward'] as const),
    depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    fromTime: Type.Optional(IsoTime),
    toTime: Type.Optional(IsoTime),
    maxNodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    maxEdges: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(Type.String({ pattern: '^[0-9]{0,6}$' })),
  },
  strict,
);
export type TraceInput = Static<typeof TraceInput>;
export const ProjectFlowsInput = Type.Object({ projectId: Id, depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, strict);

/** A pattern the monitor found: raised as an alert once per `key`, with the transfers as evidence. */
export const PatternAlertInput = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 300, description: 'identifies the pattern instance: the same key is alerted once' }),
    typology: union(TYPOLOGIES),
    parametersVersion: Type.Integer({ minimum: 0, description: 'the published typology parameters it was found under; 0: the monitor’s defaults' }),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    accounts: Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true }),
    transferIds: Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true }),
    conditions: Type.Optional(Type.Array(PatternCondition, { maxItems: 16, description: 'why it was found: the measures and the limits they reached' })),
  },
  strict,
);
export const AlertNoteInput = Type.Object({ alertId: Id, note: Text(1000) }, strict);
export const AlertIdInput = Type.Object({ alertId: Id }, strict);
export const AlertListInput = Type.Object(
  {
    status: Type.Optional(union(ALERT_STATUSES)),
    ruleId: Type.Optional(Id),
    severity: Type.Optional(union(SEVERITIES)),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(Bookmark),
  },
  strict,
);
export const Empty = Type.Object({}, strict);
