// What a Fabric error says: the chaincode's own error (code, sentence, details) carried in a message, and a
// validation code's name.
import { peer } from '@hyperledger/fabric-protos';
import { isErrorCode, type ParsedError, parseErrorMessage } from '@regchain/common';

/** gRPC status codes fabric-gateway's errors carry. */
export const GRPC = { DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 } as const;

/** Every text a Fabric error carries: each peer's message (where the chaincode's error is), then its own. */
export function messagesOf(err: unknown): string[] {
  const details = (err as { details?: readonly { message?: unknown }[] } | undefined)?.details;
  const own = (err as { message?: unknown } | undefined)?.message;
  return [...(Array.isArray(details) ? details : []).map((d) => d.message), own].filter((m): m is string => typeof m === 'string');
}

/** The chaincode's error a Fabric error carries ("CODE: sentence | {details}" with one of its codes), the first one found. */
export function chaincodeErrorOf(err: unknown): ParsedError | undefined {
  for (const text of messagesOf(err)) {
    const parsed = parseErrorMessage(text);
    if (parsed && isErrorCode(parsed.code)) return parsed;
  }
  return undefined;
}

/** VALID, MVCC_READ_CONFLICT, ...: a transaction validation code's name. */
export const validationName = (code: number | undefined): string =>
  code === undefined ? 'UNKNOWN' : (Object.entries(peer.TxValidationCode).find(([, v]) => v === code)?.[0] ?? `CODE_${code}`);

/** A transaction that lost a race with a concurrent one: worth sending again. */
export const isReadConflict = (code: number): boolean =>
  code === peer.TxValidationCode.MVCC_READ_CONFLICT || code === peer.TxValidationCode.PHANTOM_READ_CONFLICT;

/**
 * What a peer answers when the chaincode service it dials does not answer: not running ("could not launch
 * chaincode …: connection to … failed"), or gone in the middle of a call. The peer itself is fine.
 */
const CHAINCODE_DOWN = /could not launch chaincode|chaincode stream terminated|error cannot create connection for/i;

/** Whether a Fabric error says a chaincode service did not answer (on any peer it names). */
export const isChaincodeUnavailable = (err: unknown): boolean => messagesOf(err).some((m) => CHAINCODE_DOWN.test(m));

/** The MSP ids of the peers whose chaincode service did not answer, from an endorse or evaluate error's details. */
export function chaincodeUnavailableAt(err: unknown): string[] {
  const details = (err as { details?: readonly { message?: unknown; mspId?: unknown }[] } | undefined)?.details;
  if (!Array.isArray(details)) return [];
  const orgs = details.filter((d) => typeof d.message === 'string' && CHAINCODE_DOWN.test(d.message)).map((d) => d.mspId);
  return [...new Set(orgs.filter((m): m is string => typeof m === 'string'))];
}
