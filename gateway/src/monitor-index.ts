// The monitor's index, as the gateway asks it: history-wide traces, counterparties and statistics over HTTP on
// the monitor's own port, with the token from the state folder's secrets. The gateway decides who may ask what
// (the chain says which accounts and transfers a caller may see); the monitor only answers. An index that is
// down, or refuses the token, is INDEX_UNAVAILABLE (503): the chaincode's answers stay available.
import { ownerSecret } from '@regchain/common';
import { ApiError } from './errors';

export interface IndexPort {
  /** GET `path` with the query; the monitor's answer, or an ApiError. */
  query(path: '/traces' | '/counterparties' | '/statistics', query: Record<string, string | number | undefined>): Promise<Record<string, unknown>>;
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
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
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
    if (res.status === 401) this.#read = undefined;
    // 401: the gateway and the monitor hold different tokens; anything else is the monitor's fault. Neither is the caller's.
    throw new ApiError(503, 'INDEX_UNAVAILABLE', res.status === 401 ? 'the monitor refused the gateway’s token' : 'the monitor’s index failed', {
      retryAfter: 5,
      cause: new Error(`the monitor answered ${res.status}: ${JSON.stringify(body)}`),
    });
  }
}
