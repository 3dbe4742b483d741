// One error shape for callers ({ code, message, details, transactionId? }), and Fabric's errors mapped onto it.
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { parseErrorMessage } from '../../chaincode/src/errors';

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly transactionId: string | undefined;
  /** Seconds after which a retry may succeed (MVCC conflicts, an unreachable network). */
  readonly retryAfter: number | undefined;

  constructor(statusCode: number, code: string, message: string, extra: { details?: Record<string, unknown>; transactionId?: string; retryAfter?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = extra.details;
    this.transactionId = extra.transactionId;
    this.retryAfter = extra.retryAfter;
  }

  toBody(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      details: this.details ?? {},
      ...(this.transactionId ? { transactionId: this.transactionId } : {}),
    };
  }
}

/** HTTP status for each chaincode error code. */
export function statusForCode(code: string): number {
  if (code === 'ACCESS_DENIED' || code === 'IDENTITY_INVALID') return 403;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_EXISTS') || code.endsWith('_TRANSITION_INVALID') || code === 'RULE_INACTIVE') return 409;
  if (code === 'RULE_BLOCKED' || code === 'PURPOSE_NOT_APPROVED' || code === 'BUDGET_EXCEEDED') return 422;
  if (code === 'VALIDATION_FAILED' || code === 'RULE_INVALID' || code === 'PERSONAL_DATA_MISSING' || code === 'TRANSFER_INVALID') return 400;
  return 500;
}

export const validationName = (code: number): string =>
  Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? `CODE_${code}`;

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;

/** A transaction that reached a block but was marked invalid: MVCC and phantom conflicts are retryable (409). */
export function invalidCommit(code: number, transactionId: string): ApiError {
  const name = validationName(code);
  const conflict = code === peer.TxValidationCode.MVCC_READ_CONFLICT || code === peer.TxValidationCode.PHANTOM_READ_CONFLICT;
  return new ApiError(
    conflict ? 409 : 422,
    conflict ? 'CONFLICT' : 'TRANSACTION_INVALID',
    conflict ? `the transaction lost a race with a concurrent one (${name}); retry it` : `the transaction was committed as invalid: ${name}`,
    { details: { validationCode: name, retryable: conflict }, transactionId, ...(conflict ? { retryAfter: 1 } : {}) },
  );
}

/** Turns whatever fabric-gateway threw into the error the caller sees. */
export function fromFabric(err: unknown, transactionId?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CommitError) return invalidCommit(err.code, err.transactionId);
  if (err instanceof GatewayError) {
    const txId = (err as GatewayError & { transactionId?: string }).transactionId ?? transactionId;
    for (const text of [...err.details.map((d) => d.message), err.message]) {
      const parsed = parseErrorMessage(text);
      if (parsed && /^[A-Z_]+$/.test(parsed.code) && statusForCode(parsed.code) !== 500) {
        return new ApiError(statusForCode(parsed.code), parsed.code, parsed.message, { ...(parsed.details ? { details: parsed.details } : {}), ...(txId ? { transactionId: txId } : {}) });
      }
    }
    if (err.code === GRPC_UNAVAILABLE || err.code === GRPC_DEADLINE_EXCEEDED || err.code === GRPC_FAILED_PRECONDITION) {
      return new ApiError(503, 'NETWORK_UNAVAILABLE', 'the Fabric network cannot be reached or cannot endorse right now; retry shortly', {
        retryAfter: 2,
        ...(txId ? { transactionId: txId } : {}),
      });
    }
    return new ApiError(502, 'FABRIC_ERROR', 'the Fabric network refused the request', { ...(txId ? { transactionId: txId } : {}) });
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}
