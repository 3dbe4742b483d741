// Idempotency keys: a retried submit with the same key returns the first result instead of a second transaction.
import * as crypto from 'node:crypto';
import { ApiError } from './errors';
import { JsonStore } from './store';

interface Record_ {
  readonly scope: string;
  readonly requestHash: string;
  readonly state: 'pending' | 'done';
  readonly statusCode?: number;
  readonly body?: unknown;
  readonly createdAt: number;
}

const TTL_MS = 24 * 3600 * 1000;
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export type Begin = { replay: { statusCode: number; body: unknown } } | { finish: (statusCode: number, body: unknown) => Promise<void>; abandon: () => Promise<void> };

export class Idempotency {
  readonly #store: JsonStore<Record_>;

  constructor(dataDir: string) {
    this.#store = new JsonStore<Record_>(dataDir, 'idempotency');
    void this.#store.retain((r) => Date.now() - r.createdAt < TTL_MS);
  }

  /**
   * Claims a key for a caller's request. A finished key replays its response; a key still running, or
   * reused for a different request, is refused.
   */
  async begin(callerId: string, key: string, request: unknown): Promise<Begin> {
    if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1-128 letters, digits or ._:-');
    const scope = `${callerId}:${key}`;
    const requestHash = crypto.createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const existing = this.#store.get(scope);
    if (existing && Date.now() - existing.createdAt < TTL_MS) {
      if (existing.requestHash !== requestHash) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
      }
      if (existing.state === 'pending') {
        throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry shortly', { retryAfter: 1 });
      }
      return { replay: { statusCode: existing.statusCode ?? 200, body: existing.body } };
    }
    await this.#store.set(scope, { scope, requestHash, state: 'pending', createdAt: Date.now() });
    return {
      finish: (statusCode, body) => this.#store.set(scope, { scope, requestHash, state: 'done', statusCode, body, createdAt: Date.now() }),
      abandon: () => this.#store.delete(scope),
    };
  }
}
