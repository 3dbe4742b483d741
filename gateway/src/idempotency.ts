// Idempotency keys: a retried submit with the same key returns the first result instead of a second transaction.
// Kept in the gateway's database (one row a key, claimed atomically), bounded and expiring. A key still pending
// when the gateway stopped is freed on start: its outcome is unknown, and the caller may try again.
import type { Database } from '@regchain/common/node';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from './errors';
import type { GatewayDatabase } from './store/database';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export interface IdempotencyOptions {
  /** How long a key is remembered. */
  readonly ttlMs?: number;
  /** Keys remembered at most; the oldest finished ones go first. */
  readonly maxEntries?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

export type Begin =
  { replay: { statusCode: number; body: unknown } } | { finish: (statusCode: number, body: unknown) => Promise<void>; abandon: () => Promise<void> };

interface Row {
  readonly request_hash: string;
  readonly state: 'pending' | 'done';
  readonly status_code: number | null;
  readonly body: unknown;
}

/** An entry of the journal earlier versions kept (idempotency.jsonl), a line a change. */
type JournalLine =
  | { readonly set: { scope: string; requestHash: string; state: 'pending' | 'done'; statusCode?: number; body?: unknown; createdAt: number } }
  | { readonly del: string };

/** The name an old journal is given once its keys are in the database. */
export const MIGRATED_JOURNAL = 'idempotency.jsonl.migrated';

export class Idempotency {
  readonly #database: GatewayDatabase;
  readonly #dataDir: string;
  #opening: Promise<Database> | undefined;
  #db: Database | undefined;
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Expiry runs at most this often: a DELETE per request would cost more than the keys it frees. */
  #lastExpiry = 0;

  /**
   * The store in the gateway's database (`ready()` waits for it). Keys left pending by a stopped gateway are
   * freed; an earlier version's journal in `dataDir` is moved in once and renamed, so it is not read again.
   */
  constructor(database: GatewayDatabase, dataDir: string, options: IdempotencyOptions = {}) {
    this.#ttl = options.ttlMs ?? 24 * 3600 * 1000;
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#database = database;
    this.#dataDir = dataDir;
  }

  /** Opens the store on first use: frees keys a stopped gateway left pending, moves an old journal in once. */
  #open(): Promise<Database> {
    const dataDir = this.#dataDir;
    this.#opening ??= (async () => {
      const db = await this.#database.ready();
      this.#db = db;
      await this.#adopt(path.join(dataDir, 'idempotency.jsonl'));
      await db.query("DELETE FROM idempotency WHERE state = 'pending'");
      await this.#expire(true);
      return db;
    })();
    return this.#opening;
  }

  /** Waits for the database: a gateway that cannot open it does not start. */
  async ready(): Promise<void> {
    await this.#open();
  }

  get #sql(): Database {
    if (!this.#db) throw new Error('the idempotency store is not open yet');
    return this.#db;
  }

  async #adopt(file: string): Promise<void> {
    if (!fs.existsSync(file)) return;
    const entries = new Map<string, Extract<JournalLine, { set: unknown }>['set']>();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const change = JSON.parse(line) as JournalLine;
        if ('set' in change) entries.set(change.set.scope, change.set);
        else entries.delete(change.del);
      } catch {
        // A torn last line from a crash mid-append: what came before it stands.
      }
    }
    await this.#sql.transaction(async (tx) => {
      for (const e of entries.values()) {
        if (e.state !== 'done') continue;
        await tx.query(
          `INSERT INTO idempotency (scope, request_hash, state, status_code, body, created_at) VALUES ($1, $2, 'done', $3, $4, $5)
           ON CONFLICT (scope) DO NOTHING`,
          [e.scope, e.requestHash, e.statusCode ?? 200, JSON.stringify(e.body ?? null), e.createdAt],
        );
      }
    });
    fs.renameSync(file, path.join(path.dirname(file), MIGRATED_JOURNAL));
  }

  /** Keys remembered now. */
  async size(): Promise<number> {
    await this.#open();
    return this.#count();
  }

  async #count(): Promise<number> {
    return Number((await this.#sql.query<{ n: string | number }>('SELECT count(*) AS n FROM idempotency')).rows[0]?.n ?? 0);
  }

  /** Forgets expired keys and, past the bound, the oldest finished ones. */
  async #expire(now = false): Promise<void> {
    const t = this.#now();
    if (!now && t - this.#lastExpiry < 1000) return;
    this.#lastExpiry = t;
    await this.#sql.query('DELETE FROM idempotency WHERE created_at < $1', [t - this.#ttl]);
    const over = (await this.#count()) - this.#max;
    if (over > 0) {
      await this.#sql.query(`DELETE FROM idempotency WHERE scope IN (SELECT scope FROM idempotency WHERE state = 'done' ORDER BY created_at, scope LIMIT $1)`, [
        over,
      ]);
    }
  }

  /**
   * Claims a key for a caller's request. A finished key replays its response; a key still running, or
   * reused for a different request, is refused.
   */
  async begin(callerId: string, key: string, request: unknown): Promise<Begin> {
    if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1-128 letters, digits or ._:-');
    const db = await this.#open();
    await this.#expire();
    const scope = `${callerId}:${key}`;
    const requestHash = crypto.createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const cutoff = this.#now() - this.#ttl;
    // Claimed atomically: of two requests racing for one key, exactly one inserts. An expired row is taken over.
    const claimed = await db.query<{ scope: string }>(
      `INSERT INTO idempotency (scope, request_hash, state, created_at) VALUES ($1, $2, 'pending', $3)
       ON CONFLICT (scope) DO UPDATE SET request_hash = EXCLUDED.request_hash, state = 'pending', status_code = NULL, body = NULL,
         created_at = EXCLUDED.created_at
       WHERE idempotency.created_at < $4
       RETURNING scope`,
      [scope, requestHash, this.#now(), cutoff],
    );
    if (claimed.rows.length === 0) {
      const existing = (await db.query<Row>('SELECT request_hash, state, status_code, body FROM idempotency WHERE scope = $1', [scope])).rows[0];
      if (existing) {
        if (existing.request_hash !== requestHash) {
          throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
        }
        if (existing.state === 'pending') {
          throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry shortly', { retryAfter: 1 });
        }
        return { replay: { statusCode: existing.status_code ?? 200, body: existing.body } };
      }
      // Deleted between the two statements (expired or abandoned): claim it again.
      return this.begin(callerId, key, request);
    }
    return {
      finish: async (statusCode, body) =>
        void (await db.query(`UPDATE idempotency SET state = 'done', status_code = $2, body = $3, created_at = $4 WHERE scope = $1 AND request_hash = $5`, [
          scope,
          statusCode,
          JSON.stringify(body ?? null),
          this.#now(),
          requestHash,
        ])),
      abandon: async () => void (await db.query("DELETE FROM idempotency WHERE scope = $1 AND state = 'pending'", [scope])),
    };
  }
}
