// The shapes every route shares: the one error body, what a submit answers, and the error statuses documented everywhere.
import { type TSchema, Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'stable machine code, e.g. FILING_NOT_FOUND' }),
    message: Type.String({ description: 'a sentence a person can act on' }),
    details: Type.Record(Type.String(), Type.Unknown()),
    transactionId: Type.Optional(Type.String()),
  },
  {
    $id: 'ErrorBody',
    description: 'Every error has this shape',
    examples: [{ code: 'FILING_NOT_FOUND', message: 'no filing F-1', details: {} }],
  },
);

const error = { $ref: 'ErrorBody#' } as const;
/** Every error a route can answer, documented with the one error shape. */
export const errorResponses = {
  400: error,
  401: error,
  403: error,
  404: error,
  409: error,
  413: error,
  414: error,
  422: error,
  429: error,
  500: error,
  502: error,
  503: error,
  504: error,
};

export const TransactionId = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Fabric transaction id, lower-case hex' });

/** What a committed submit answers. */
export const SubmitResultBody = Type.Object(
  {
    transactionId: TransactionId,
    blockNumber: Type.String({ pattern: '^[0-9]+$' }),
    validationCode: Type.String(),
    result: Type.Unknown({ description: "the chaincode's result: the record it wrote" }),
  },
  {
    description: 'Committed: the transaction, its block and validation code, and the result',
    examples: [{ transactionId: 'a'.repeat(64), blockNumber: '42', validationCode: 'VALID', result: { accountId: 'acc-1' } }],
  },
);

/** What an async submit (or its replay) answers once the orderer has the transaction. */
export const AcceptedBody = Type.Object(
  { transactionId: TransactionId, status: Type.String(), statusUrl: Type.String() },
  {
    description: 'Accepted: follow statusUrl for the commit',
    examples: [{ transactionId: 'a'.repeat(64), status: 'submitted', statusUrl: `/v1/transactions/${'a'.repeat(64)}` }],
  },
);

/** Responses of a route that submits: committed (200 or 201), accepted (202, with ?async=true), or an error. */
export const submitResponses = (status: 200 | 201) => ({ ...errorResponses, [status]: SubmitResultBody, 202: AcceptedBody });
/** Responses of a query whose answer has a published schema. */
export const answers = <T extends TSchema>(schema: T) => ({ ...errorResponses, 200: schema });

/** A submit waits for the commit unless ?async=true. */
export const SubmitQuery = Type.Object({ async: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false });
/** A retry with the same key gets the first answer instead of a second transaction. */
export const SubmitHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128 })) });
