// The monitor's index, as the gateway asks it: history-wide traces, counterparties and statistics over HTTP on
// the monitor's own port, with the token from the state folder's secrets. The gateway decides who may ask what
// (the chain says which accounts and transfers a caller may see); the monitor only answers. An index that is
// down, or refuses the token, is INDEX_UNAVAILABLE (503): the chaincode's answers stay available.
import { ownerSecret } from '@regchain/common/node';
import { ApiError } from './errors';

export interface IndexPort {
  /** GET `path` with the query, for the caller; the monitor's answer, or an ApiError. */
  query(
    path: '/traces' | '/counterparties' | '/statistics',
    query: Record<string, string | number | undefined>,
    callerId?: string,
  ): Promise<Record<string, unknown>>;
}

const TIMEOUT_MS = 30_000;

export class MonitorIndex implements IndexPort {
  readonly #url: string;
  readonly #given: string | undefined;
  readonly #tokenFile: string;
  /** Read from the file once, and again after the monitor refuses it (a new token file). */
  #read: string | undefined;

  /** `token`: the token itself, else the owner-only file it is kept in (created by whichever side starts first). */
  constructor(url: string, token: string | undefined, tokenFile: string) {
    this.#url = url.replace(/\/+$/, '');
    this.#given = token;
    this.#tokenFile = tokenFile;
  }

  #token(): string {
    return this.#given ?? (this.#read ??= ownerSecret(this.#tokenFile));
  }

  async query(path: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(`${this.#url}${path}?${params}`, {
        headers: { authorization: `Bearer ${this.#token()}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new ApiError(503, 'INDEX_UNAVAILABLE', 'the monitor’s index is not answering; the ledger’s own answer (source=ledger) is available', {
        retryAfter: 5,
        cause: err,
      });
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return body;
    if (res.status === 400) throw new ApiError(400, 'VALIDATION_FAILED', String(body.message ?? 'invalid query'));
    if (res.status === 503 && body.code === 'INDEX_BUSY') throw new ApiError(429, 'INDEX_BUSY', 'the index is busy; retry shortly', { retryAfter: 2 });
    if (res.status === 401) this.#read = undefined;
    // 401: the gateway and the monitor hold different tokens; anything else is the monitor's fault. Neither is the caller's.
    throw new ApiError(503, 'INDEX_UNAVAILABLE', res.status === 401 ? 'the monitor refused the gateway’s token' : 'the monitor’s index failed', {
      retryAfter: 5,
      cause: new Error(`the monitor answered ${res.status}: ${JSON.stringify(body)}`),
    });
  }
}

/**
 * The index behind limits: the monitor answers on one thread, so each caller has at most `perCaller` queries in
 * flight and everyone together `total`; past them the answer is 429 INDEX_BUSY (retry shortly), and no member's
 * burst of heavy traces holds up another's, or the monitor's following of the chain.
 */
export class LimitedIndex implements IndexPort {
  readonly #index: IndexPort;
  readonly #perCaller: number;
  readonly #total: number;
  readonly #inFlight = new Map<string, number>();
  #all = 0;

  constructor(index: IndexPort, limits: { perCaller: number; total: number }) {
    this.#index = index;
    this.#perCaller = limits.perCaller;
    this.#total = limits.total;
  }

  async query(path: Parameters<IndexPort['query']>[0], query: Record<string, string | number | undefined>, callerId = ''): Promise<Record<string, unknown>> {
    const mine = this.#inFlight.get(callerId) ?? 0;
    if (mine >= this.#perCaller || this.#all >= this.#total) {
      throw new ApiError(
        429,
        'INDEX_BUSY',
        mine >= this.#perCaller ? `${this.#perCaller} index queries of yours are running; wait for them` : 'the index is busy; retry shortly',
        {
          retryAfter: 2,
        },
      );
    }
    this.#inFlight.set(callerId, mine + 1);
    this.#all += 1;
    try {
      return await this.#index.query(path, query, callerId);
    } finally {
      this.#all -= 1;
      const left = (this.#inFlight.get(callerId) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(callerId);
      else this.#inFlight.set(callerId, left);
    }
  }
}
