// Deterministic JSON: every peer must produce the same bytes for the same state.
import stringify from 'json-stringify-deterministic';

/** Serialises with sorted keys, so endorsements from different peers match byte for byte. */
export function canonical(value: unknown): string {
  return stringify(value);
}

export function toBytes(value: unknown): Uint8Array {
  return Buffer.from(canonical(value), 'utf8');
}

export function fromBytes<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
