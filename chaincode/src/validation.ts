// Checks a transaction's JSON input against its TypeBox schema: wrong types, missing or extra fields are refused.
import { type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ChaincodeError } from './errors';

/** Largest input a transaction accepts, in bytes: bounds the cost of parsing on every peer. */
export const MAX_INPUT_BYTES = 64 * 1024;
/** A batch report carries up to 500 transfers of at most about 600 bytes each. */
export const MAX_BATCH_INPUT_BYTES = 512 * 1024;

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Validates a value against a schema; the error names the first offending field. */
export function validate<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  const check = checkerFor(schema);
  if (check.Check(value)) return value;
  const first = check.Errors(value).First();
  const where = first?.path ? first.path : '(root)';
  throw new ChaincodeError('VALIDATION_FAILED', `${what}: ${where} ${first?.message ?? 'is invalid'}`, {
    field: where,
  });
}

/** Parses a transaction's JSON argument and validates it. */
export function parseInput<T extends TSchema>(schema: T, raw: string, what: string, maxBytes = MAX_INPUT_BYTES): Static<T> {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new ChaincodeError('VALIDATION_FAILED', `${what}: a JSON object argument is required`);
  }
  if (Buffer.byteLength(raw, 'utf8') > maxBytes) {
    throw new ChaincodeError('VALIDATION_FAILED', `${what}: input is larger than ${maxBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ChaincodeError('VALIDATION_FAILED', `${what}: input is not valid JSON`);
  }
  return validate(schema, value, what);
}
