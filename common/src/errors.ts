// The chaincode's error codes and the wire format that carries code, sentence and details through Fabric; the
// error the HTTP services (the gateway, the monitor) answer with, one shape for callers.

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'ACCESS_DENIED',
  'IDENTITY_INVALID',
  'FILING_NOT_FOUND',
  'FILING_EXISTS',
  'FILING_TRANSITION_INVALID',
  'FILING_NUMBER_NOT_FOUND',
  'PERSONAL_DATA_MISSING',
  'RULE_NOT_FOUND',
  'RULE_INVALID',
  'RULE_INACTIVE',
  'RULE_BLOCKED',
  'WATCHLIST_ENTRY_NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'ACCOUNT_EXISTS',
  'PROJECT_NOT_FOUND',
  'PROJECT_EXISTS',
  'PURPOSE_NOT_APPROVED',
  'BUDGET_EXCEEDED',
  'TRANSFER_NOT_FOUND',
  'TRANSFER_INVALID',
  'TRANSFER_DUPLICATE',
  'ALERT_NOT_FOUND',
  'ALERT_EXISTS',
  'TYPOLOGIES_NOT_FOUND',
  'ALERT_TRANSITION_INVALID',
  'PROBE_EXISTS',
  'PROBE_NOT_FOUND',
  'CREDIT_MODEL_INVALID',
  'CREDIT_MODEL_NOT_FOUND',
  'CREDIT_ENTRY_NOT_FOUND',
  'CREDIT_ENTRY_EXISTS',
  'OBJECTION_TRANSITION_INVALID',
  'CREDIT_NOT_LATE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** One of the chaincode's own codes (not gRPC's UNAVAILABLE or another word in capitals). */
export const isErrorCode = (code: string): code is ErrorCode => KNOWN_CODES.has(code);

export interface ParsedError {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Fabric carries only an error's message to the client, so the code leads the message
 * ("CODE: sentence") and details follow as JSON after " | ", for the gateway to parse back.
 */
export const formatErrorMessage = (code: ErrorCode, message: string, details?: Record<string, unknown>): string =>
  `${code}: ${message}${details ? ` | ${JSON.stringify(details)}` : ''}`;

/** Reads "CODE: sentence | {details}" back out of an error message that went through Fabric. */
export function parseErrorMessage(text: string): ParsedError | undefined {
  const match = /([A-Z][A-Z_]+[A-Z]): (.*?)(?: \| (\{.*\}))?$/s.exec(text);
  if (!match?.[1] || match[2] === undefined) return undefined;
  let details: Record<string, unknown> | undefined;
  if (match[3]) {
    try {
      details = JSON.parse(match[3]) as Record<string, unknown>;
    } catch {
      details = undefined;
    }
  }
  return { code: match[1], message: match[2], ...(details ? { details } : {}) };
}

/** What Fabric said, kept for the log: the gRPC status, the error's message and each peer's own answer. */
export interface FabricCause {
  readonly error: string;
  readonly grpcCode?: number;
  readonly message: string;
  readonly peers: readonly { readonly address: string; readonly mspId: string; readonly message: string }[];
  readonly validationCode?: string;
}

/** An answer that is an error: `{ code, message, details, transactionId? }` with its HTTP status. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly transactionId: string | undefined;
  /** Seconds after which a retry may succeed (MVCC conflicts, an unreachable network). */
  readonly retryAfter: number | undefined;
  /** The Fabric error behind this one: logged, never sent to the caller. */
  readonly fabric: FabricCause | undefined;

  /** `cause`: the error this one answers for, kept (as Error's own `cause`) for the log, never sent to the caller. */
  constructor(
    statusCode: number,
    code: string,
    message: string,
    extra: { details?: Record<string, unknown>; transactionId?: string; retryAfter?: number; fabric?: FabricCause; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.fabric = extra.fabric;
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

/**
 * Any error an HTTP service's handler meets, as the answer it gives: an ApiError as it is; a schema's refusal
 * (Fastify's `validation`) a 400 VALIDATION_FAILED naming the field; another 4xx the framework raised under its
 * own code; anything else a 500 INTERNAL whose cause is kept for the log. Shared by the gateway and the monitor.
 */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as {
    validation?: { instancePath?: string; message?: string }[];
    validationContext?: string;
    statusCode?: number;
    code?: string;
    message?: string;
  };
  if (e.validation) {
    const first = e.validation[0];
    const field = `${e.validationContext ?? 'body'}${first?.instancePath ?? ''}`;
    return new ApiError(400, 'VALIDATION_FAILED', `${field} ${first?.message ?? 'is invalid'}`, { details: { field } });
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code =
      e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return new ApiError(e.statusCode, code, e.message ?? 'bad request', { cause: error });
  }
  return new ApiError(500, 'INTERNAL', 'internal error', { cause: error });
}
