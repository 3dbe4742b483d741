// Idempotency keys: a retried submit with the same key returns the first result instead of a second transaction.
// Bounded and expiring; kept as an append-only journal (one line a change), compacted now and then, never
// rewritten whole per request.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ApiError } from './errors';

interface Entry {
  readonly scope: string;
  readonly requestHash: string;
  readonly state: 'pending' | 'done';
  readonly statusCode?: number;
  readonly body?: unknown;
  readonly createdAt: number;
}

type JournalLine = { readonly set: Entry } | { readonly del: string };

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

export class Idempotency {
  readonly #file: string;
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;
  /** In creation order (a finished entry is moved to the end), so the oldest are at the front. */
  readonly #entries = new Map<string, Entry>();
  #lines = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string, options: IdempotencyOptions = {}) {
    this.#ttl = options.ttlMs ?? 24 * 3600 * 1000;
    this.#max = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.#file = path.join(dataDir, 'idempotency.jsonl');
    if (fs.existsSync(this.#file)) {
      for (const line of fs.readFileSync(this.#file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.#apply(JSON.parse(line) as JournalLine);
        } catch {
          // A torn last line from a crash mid-append: what came before it stands.
        }
      }
    }
    // A pending entry outlived the process that was running it: its outcome is unknown, the key is free again.
    for (const [scope, e] of this.#entries) if (e.state === 'pending') this.#entries.delete(scope);
    this.#expire();
    this.#compact();
  }

  get size(): number {
    return this.#entries.size;
  }

  #apply(line: JournalLine): void {
    if ('set' in line) {
      this.#entries.delete(line.set.scope);
      this.#entries.set(line.set.scope, line.set);
    } else {
      this.#entries.delete(line.del);
    }
  }

  #append(line: JournalLine): Promise<void> {
    this.#apply(line);
    this.#lines += 1;
    const text = `${JSON.stringify(line)}\n`;
    this.#writing = this.#writing.then(() => fs.promises.appendFile(this.#file, text, { mode: 0o600 }));
    if (this.#lines > 2 * this.#entries.size + 1000) this.#compact();
    return this.#writing;
  }

  /** Rewrites the journal as the live entries only: amortised over many appends. */
  #compact(): void {
    const text = [...this.#entries.values()].map((e) => `${JSON.stringify({ set: e })}\n`).join('');
    this.#lines = this.#entries.size;
    this.#writing = this.#writing.then(() => writeFileAtomic(this.#file, text, { mode: 0o600 }));
  }

  /** Forgets expired entries and, past the bound, the oldest finished ones (in memory; the journal follows on compaction). */
  #expire(): void {
    const cutoff = this.#now() - this.#ttl;
    for (const [scope, e] of this.#entries) {
      if (e.createdAt >= cutoff && this.#entries.size <= this.#max) break;
      if (e.createdAt < cutoff || e.state === 'done') this.#entries.delete(scope);
    }
  }

  /**
   * Claims a key for a caller's request. A finished key replays its response; a key still running, or
   * reused for a different request, is refused.
   */
  async begin(callerId: string, key: string, request: unknown): Promise<Begin> {
    if (!IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1-128 letters, digits or ._:-');
    this.#expire();
    const scope = `${callerId}:${key}`;
    const requestHash = crypto.createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const existing = this.#entries.get(scope);
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
      }
      if (existing.state === 'pending') {
        throw new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry shortly', { retryAfter: 1 });
      }
      return { replay: { statusCode: existing.statusCode ?? 200, body: existing.body } };
    }
    await this.#append({ set: { scope, requestHash, state: 'pending', createdAt: this.#now() } });
    return {
      finish: (statusCode, body) => this.#append({ set: { scope, requestHash, state: 'done', statusCode, body, createdAt: this.#now() } }),
      abandon: () => this.#append({ del: scope }),
    };
  }

  /** Waits for journal writes in flight (for a clean shutdown and for tests). */
  flushed(): Promise<void> {
    return this.#writing;
  }
}
