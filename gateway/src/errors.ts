// One error shape for callers ({ code, message, details, transactionId? }), and Fabric's errors mapped onto it.
import { CommitError, CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import { ApiError, type FabricCause } from '@regchain/common';
import { chaincodeErrorOf, GRPC, isChaincodeUnavailable, isReadConflict, messagesOf, validationName } from '@regchain/fabric';

export { ApiError, type FabricCause } from '@regchain/common';

/** HTTP status for each chaincode error code. */
export function statusForCode(code: string): number {
  if (code === 'ACCESS_DENIED' || code === 'IDENTITY_INVALID') return 403;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_EXISTS') || code.endsWith('_TRANSITION_INVALID') || code === 'RULE_INACTIVE' || code === 'TRANSFER_DUPLICATE') return 409;
  if (code === 'RULE_BLOCKED' || code === 'PURPOSE_NOT_APPROVED' || code === 'BUDGET_EXCEEDED' || code === 'CREDIT_NOT_LATE') return 422;
  if (
    code === 'VALIDATION_FAILED' ||
    code === 'RULE_INVALID' ||
    code === 'PERSONAL_DATA_MISSING' ||
    code === 'TRANSFER_INVALID' ||
    code === 'CREDIT_MODEL_INVALID'
  )
    return 400;
  return 500;
}

export function causeOf(err: GatewayError): FabricCause {
  return {
    error: err.name,
    grpcCode: err.code,
    message: err.message,
    peers: err.details.map((d) => ({ address: d.address, mspId: d.mspId, message: d.message })),
  };
}

/** A transaction that reached a block but was marked invalid: MVCC and phantom conflicts are retryable (409). */
export function invalidCommit(code: number, transactionId: string, cause?: unknown): ApiError {
  const name = validationName(code);
  const conflict = isReadConflict(code);
  return new ApiError(
    conflict ? 409 : 422,
    conflict ? 'CONFLICT' : 'TRANSACTION_INVALID',
    conflict ? `the transaction lost a race with a concurrent one (${name}); retry it` : `the transaction was committed as invalid: ${name}`,
    {
      details: { validationCode: name, retryable: conflict },
      transactionId,
      ...(conflict ? { retryAfter: 1 } : {}),
      fabric: { error: 'CommitError', message: `committed as ${name}`, peers: [], validationCode: name },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/**
 * Turns whatever fabric-gateway threw into the error the caller sees, keeping Fabric's own error for the log:
 * the chaincode's code where it gave one; 403 when a peer refused the caller's certificate; 503 when the
 * network cannot be reached or cannot gather endorsements now; 504 when the transaction went to the orderer
 * but its commit could not be confirmed (it may still commit: ask its status URL); 502 only for an answer
 * the network should not have given.
 */
export function fromFabric(err: unknown, transactionId?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CommitError) return invalidCommit(err.code, err.transactionId, err);
  if (!(err instanceof GatewayError)) return new ApiError(500, 'INTERNAL', 'internal error', { cause: err });
  const txId = (err as GatewayError & { transactionId?: string }).transactionId ?? transactionId;
  const fabric = causeOf(err);
  const extra = { fabric, cause: err, ...(txId ? { transactionId: txId } : {}) };
  const refusal = chaincodeErrorOf(err);
  if (refusal) {
    return new ApiError(statusForCode(refusal.code), refusal.code, refusal.message, { ...(refusal.details ? { details: refusal.details } : {}), ...extra });
  }
  const texts = messagesOf(err);
  const said = (pattern: RegExp): boolean => texts.some((t) => pattern.test(t));
  if (err instanceof EndorseError && said(/access denied|creator certificate is not valid|identity is not valid/i)) {
    return new ApiError(403, 'IDENTITY_REFUSED', "the peers refused the caller's certificate (revoked, expired or not of this channel)", extra);
  }
  if (err instanceof CommitStatusError) {
    return new ApiError(
      504,
      'COMMIT_STATUS_UNKNOWN',
      'the transaction was sent to the orderer but its commit could not be confirmed; it may still commit: ask its status',
      {
        retryAfter: 2,
        ...extra,
      },
    );
  }
  // A peer whose org's chaincode service is down (a member's endorsement then comes from the other member's
  // service; the regulator's cannot be replaced): the service restarts, so the caller retries.
  if (isChaincodeUnavailable(err)) {
    return new ApiError(503, 'CHAINCODE_UNAVAILABLE', "an endorsing org's chaincode service is not answering; retry shortly", {
      retryAfter: 2,
      ...extra,
    });
  }
  if (
    // fabric-gateway exports SubmitError (the orderer refused or was unreachable) as a type only.
    err.name === 'SubmitError' ||
    err.code === GRPC.UNAVAILABLE ||
    err.code === GRPC.DEADLINE_EXCEEDED ||
    err.code === GRPC.FAILED_PRECONDITION ||
    err.code === GRPC.RESOURCE_EXHAUSTED ||
    said(/no combination of peers|failed to (collect|gather) enough|no peers available|endorsement plan/i)
  ) {
    return new ApiError(503, 'NETWORK_UNAVAILABLE', 'the Fabric network cannot be reached or cannot endorse right now; retry shortly', {
      retryAfter: 2,
      ...extra,
    });
  }
  if (said(/ProposalResponsePayloads do not match|responses do not match/i)) {
    return new ApiError(
      502,
      'ENDORSEMENTS_DIFFER',
      "the endorsing peers computed different results (the chaincode is not deterministic or a peer's state differs)",
      extra,
    );
  }
  return new ApiError(502, 'FABRIC_ERROR', 'the Fabric network refused the request', extra);
}
