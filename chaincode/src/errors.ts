// The chaincode's one error type: a stable machine code and a sentence a person can act on.
import { type ErrorCode, formatErrorMessage } from '@regchain/common';

export type { ErrorCode } from '@regchain/common';

export class ChaincodeError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** The sentence alone, without code and details. */
  readonly sentence: string;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(formatErrorMessage(code, message, details));
    this.sentence = message;
    this.name = 'ChaincodeError';
    this.code = code;
    this.details = details;
  }
}
