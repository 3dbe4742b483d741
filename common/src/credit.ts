// The credit file and its grade, as every part names them: what may enter an entity's file, the grades, the
// scoring model the regulator publishes (and its default, after the tax credit evaluation), the transactions'
// inputs and what the queries answer. The arithmetic itself is the chaincode's (chaincode/src/domain/credit.ts).
import { type Static, type TLiteral, Type } from '@sinclair/typebox';
import { CreditCode, Id, IsoTime, Text } from './schemas';

const union = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)) as unknown as TLiteral<T[number]>[]);
const strict = { additionalProperties: false } as const;
const Time = Type.String({ description: 'UTC time, ISO 8601' });
const TxId = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** What can enter an entity's credit file: final decisions only, never an open alert or one under review. */
export const CREDIT_ENTRY_KINDS = [
  'filing_approved',
  'filing_returned',
  'filing_rejected',
  'filing_deregistered',
  'sanction',
  'pattern_confirmed',
  'late_report',
  'commendation',
] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/** Tax credit's grades: A ≥ 90, B 70–89, M new (nothing in the file yet), C 40–69, D < 40. */
export const GRADES = ['A', 'B', 'M', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export const OBJECTION_STATUSES = ['open', 'upheld', 'corrected'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** Why an entry counts as it does, as a code a console words in its own language (`reason` says it in English). */
export const CONTRIBUTION_CAUSES = ['in_force', 'severe_fine', 'cap_reached', 'objection_open', 'corrected', 'voided', 'repaired', 'period_over'] as const;
export type ContributionCause = (typeof CONTRIBUTION_CAUSES)[number];

const Points = (description: string) => Type.Integer({ minimum: -100, maximum: 100, description });
const Days = (description: string) => Type.Integer({ minimum: 1, maximum: 3650, description: `${description}, days` });

const ModelRule = Type.Object(
  {
    points: Points('added to the score while the entry counts; negative deducts'),
    countsDays: Days('how long the entry counts from its decision (a sanction counts its own publication period instead)'),
    capPoints: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'the most this kind adds or deducts in all, however many entries' })),
  },
  strict,
);

export const ScoringModel = Type.Object(
  {
    base: Type.Integer({ minimum: 1, maximum: 1000, description: 'the score of a file with nothing counting: deductions are taken from it' }),
    rules: Type.Object(Object.fromEntries(CREDIT_ENTRY_KINDS.map((k) => [k, ModelRule])) as Record<CreditEntryKind, typeof ModelRule>, strict),
    severeSanctionAmount: Type.Integer({ minimum: 1, maximum: 1e15, description: 'a sanction whose fine reaches this (fen) deducts severePoints instead' }),
    severePoints: Points('what a severe sanction adds (negative)'),
    lateReportDays: Days('a transfer recorded this long after it was executed was reported late'),
    bands: Type.Array(Type.Object({ grade: union(['A', 'B', 'C'] as const), min: Type.Integer({ minimum: 0, maximum: 1000 }) }, strict), {
      minItems: 3,
      maxItems: 3,
      description: 'lowest score of A, B and C, highest first; below C is D',
    }),
  },
  { ...strict, description: 'How a credit file is scored and graded' },
);
export type ScoringModel = Static<typeof ScoringModel>;

/**
 * The default model, after the tax credit evaluation: 100 less deductions, A ≥ 90, B 70–89, C 40–69, D < 40, M
 * for an entity with nothing in its file. A confirmed laundering pattern or an ordinary sanction costs 11 (tax
 * credit's deduction for a serious breach), a fine of 100,000 yuan or more 20; a rejected filing 5, a returned one
 * 2, a transfer reported more than 7 days late 1 each up to 10; a commendation adds 5, up to 10.
 */
export const DEFAULT_CREDIT_MODEL: ScoringModel = {
  base: 100,
  rules: {
    filing_approved: { points: 0, countsDays: 3 * 365 },
    filing_returned: { points: -2, countsDays: 365 },
    filing_rejected: { points: -5, countsDays: 365 },
    filing_deregistered: { points: 0, countsDays: 365 },
    sanction: { points: -11, countsDays: 365 },
    pattern_confirmed: { points: -11, countsDays: 2 * 365 },
    late_report: { points: -1, countsDays: 365, capPoints: 10 },
    commendation: { points: 5, countsDays: 365, capPoints: 10 },
  },
  severeSanctionAmount: 100_000_00,
  severePoints: -20,
  lateReportDays: 7,
  bands: [
    { grade: 'A', min: 90 },
    { grade: 'B', min: 70 },
    { grade: 'C', min: 40 },
  ],
};

// Inputs.

export const CreditModelPublishInput = ScoringModel;
export const CreditModelInput = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, strict);
export const SanctionInput = Type.Object(
  {
    entityId: CreditCode,
    legalBasis: Text(300),
    decisionNumber: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^~]+$', description: 'the administrative decision’s number (行政处罚决定书文号)' }),
    amount: Type.Integer({ minimum: 0, maximum: 1e15, description: 'fine in fen; 0 for a warning' }),
    publicationDays: Type.Integer({ minimum: 1, maximum: 3 * 365, description: 'published and counted this long from the decision; then repaired' }),
    decidedAt: Type.Optional(IsoTime),
    summary: Text(1000),
  },
  strict,
);
export type SanctionInput = Static<typeof SanctionInput>;
export const CommendationInput = Type.Object({ entityId: CreditCode, summary: Text(1000), decidedAt: Type.Optional(IsoTime) }, strict);
/** Late transfers to file (any reporters, any days): each enters its reporter's late-reporting entry of its day once. */
export const LateReportInput = Type.Object({ transferIds: Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true }) }, strict);
export const CreditFileInput = Type.Object({ entityId: CreditCode, at: Type.Optional(IsoTime) }, strict);
export const LateReportRecord = Type.Object(
  { filed: Type.Array(Type.String()), already: Type.Array(Type.String()), entries: Type.Array(Type.String({ description: 'entry ids written or extended' })) },
  { description: 'Which transfers were filed now and which were filed before' },
);
export const CreditLookupInput = Type.Object({ entityId: CreditCode }, strict);
export const ObjectionInput = Type.Object({ entryId: Id, note: Text(1000) }, strict);
export const ObjectionDecisionInput = Type.Object(
  {
    entityId: CreditCode,
    entryId: Id,
    decision: union(['uphold', 'correct'] as const),
    correctedKind: Type.Optional(union([...CREDIT_ENTRY_KINDS, 'void'] as const)),
    note: Text(1000),
  },
  strict,
);
export type ObjectionDecisionInput = Static<typeof ObjectionDecisionInput>;
export const ObjectionListInput = Type.Object({ status: Type.Optional(union(OBJECTION_STATUSES)) }, strict);
export const CreditStatisticsInput = Type.Object(
  {
    from: Type.Optional(IsoTime),
    to: Type.Optional(IsoTime),
    points: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, description: 'how many moments from `from` to `to`, evenly' })),
  },
  strict,
);

// Records.

const Kind = union(CREDIT_ENTRY_KINDS);
const SanctionRecord = Type.Object({
  legalBasis: Type.String(),
  decisionNumber: Type.String(),
  amount: Type.Integer(),
  publicationDays: Type.Integer(),
});

export const CreditEntryRecord = Type.Object(
  {
    entryId: Type.String(),
    entityId: Type.String(),
    kind: Kind,
    at: Time,
    recordedAt: Time,
    txId: TxId,
    summary: Type.String(),
    source: Type.Optional(Type.String({ description: 'what it came from: a filing, an alert, a transfer' })),
    sanction: Type.Optional(SanctionRecord),
    late: Type.Optional(
      Type.Object(
        {
          day: Type.String({ description: 'China date, yyyymmdd' }),
          count: Type.Integer(),
          transferIds: Type.Array(Type.String(), { description: 'the first 50' }),
        },
        { description: 'a late-reporting entry: the transfers its reporter recorded late that day' },
      ),
    ),
    objection: Type.Optional(
      Type.Object({
        note: Type.String(),
        raisedAt: Time,
        txId: TxId,
        status: union(OBJECTION_STATUSES),
        decision: Type.Optional(
          Type.Object({ note: Type.String(), at: Time, txId: TxId, correctedKind: Type.Optional(union([...CREDIT_ENTRY_KINDS, 'void'] as const)) }),
        ),
      }),
    ),
  },
  { description: 'One final decision in a credit file, naming the transaction that recorded it' },
);

export const CreditGradeRecord = Type.Object(
  {
    entityId: Type.String(),
    score: Type.Integer(),
    grade: union(GRADES),
    modelVersion: Type.Integer(),
    at: Time,
    contributions: Type.Array(
      Type.Object({
        entryId: Type.String(),
        kind: union([...CREDIT_ENTRY_KINDS, 'void'] as const),
        points: Type.Integer(),
        counts: Type.Boolean(),
        cause: union(CONTRIBUTION_CAUSES),
        reason: Type.String(),
      }),
      { description: 'every entry’s part in the score: the arithmetic shown' },
    ),
  },
  { description: 'A score and grade at a moment, by the model in force then' },
);

export const CreditFileRecord = Type.Object(
  { entityId: Type.String(), grade: CreditGradeRecord, entries: Type.Array(CreditEntryRecord) },
  { description: 'An entity’s whole credit file with its grade and every contribution (the entity itself, the regulator, auditors)' },
);

export const PublicSanctionRecord = Type.Object({
  decisionNumber: Type.String(),
  legalBasis: Type.String(),
  amount: Type.Integer(),
  decidedAt: Time,
  publishedUntil: Time,
  summary: Type.String(),
});

export const CreditStandingRecord = Type.Object(
  {
    entityId: Type.String(),
    grade: union(GRADES),
    modelVersion: Type.Integer(),
    at: Time,
    sanctions: Type.Array(PublicSanctionRecord, { description: 'sanctions in their publication period' }),
  },
  { description: 'What a partner and the public see: the grade and the sanctions in publication, nothing else' },
);

export const CreditModelRecord = Type.Object(
  { version: Type.Integer(), model: ScoringModel, publishedAt: Time, lastTxId: Type.String({ description: 'empty for the built-in default' }) },
  { description: 'A scoring model version and when it took effect' },
);

export const ObjectionRecord = Type.Object({ entityId: Type.String(), entry: CreditEntryRecord }, { description: 'An entry under objection' });

export const CreditStatisticsRecord = Type.Object(
  {
    entities: Type.Integer({ description: 'entities with a credit file' }),
    series: Type.Array(
      Type.Object({
        at: Time,
        modelVersion: Type.Integer(),
        grades: Type.Object(Object.fromEntries(GRADES.map((g) => [g, Type.Integer()])) as Record<Grade, ReturnType<typeof Type.Integer>>),
      }),
    ),
  },
  { description: 'How many entities held each grade at each moment, by the model in force then' },
);
