// The gateway's event stream (SSE) in the browser. EventSource cannot send the API key as a header and the key
// never goes in a URL, so the stream is read with fetch and parsed with eventsource-parser; after a drop it
// reconnects with Last-Event-ID, so nothing is lost or repeated.
import { createParser } from 'eventsource-parser';
import { authHeaders } from './api';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LiveEvent {
  readonly id: string;
  readonly transactionId: string;
  readonly blockNumber: string;
  readonly events: { type: string; [field: string]: unknown }[];
}

export interface LiveOptions {
  readonly types?: readonly string[];
  /** Start here when there is no event id yet (the monitor starts at the chain's height). */
  readonly fromBlock?: string;
  readonly onEvent: (event: LiveEvent) => void;
  readonly onState: (state: LiveState, detail?: string) => void;
}

/** Longest wait between reconnection attempts. */
const MAX_BACKOFF_MS = 15_000;

export class LiveStream {
  #abort: AbortController | undefined;
  #lastEventId: string | undefined;
  #closed = false;
  #retryMs = 2000;

  constructor(private readonly options: LiveOptions) {}

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  start(): void {
    void this.#run();
  }

  close(): void {
    this.#closed = true;
    this.#abort?.abort();
    this.options.onState('closed');
  }

  /** Drops the connection as a network failure would; the stream reconnects by itself (used by the tests too). */
  interrupt(): void {
    this.#abort?.abort();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      // After a failure the state was reported with its reason below; only a first attempt is announced here.
      if (failures === 0) this.options.onState(this.#lastEventId ? 'reconnecting' : 'connecting');
      const abort = new AbortController();
      this.#abort = abort;
      let detail: string | undefined;
      try {
        const params = new URLSearchParams();
        if (this.options.types?.length) params.set('types', this.options.types.join(','));
        if (!this.#lastEventId && this.options.fromBlock) params.set('fromBlock', this.options.fromBlock);
        const headers: Record<string, string> = { ...authHeaders(), accept: 'text/event-stream' };
        if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
        const res = await fetch(`/v1/events?${params}`, { headers, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
        if (!res.ok || !res.body) {
          const body = (await res.json().catch(() => ({}))) as { message?: string };
          detail = body.message ?? `HTTP ${res.status}`;
          if (res.status === 401 || res.status === 403) {
            this.#closed = true;
            this.options.onState('closed', detail);
            return;
          }
          throw new Error(detail);
        }
        failures = 0;
        this.options.onState('live');
        const parser = createParser({
          onEvent: (message) => {
            if (message.event !== 'regchain' || !message.data) return;
            const data = JSON.parse(message.data) as Omit<LiveEvent, 'id'>;
            if (message.id) this.#lastEventId = message.id;
            this.options.onEvent({ id: message.id ?? '', ...data });
          },
          onRetry: (ms) => (this.#retryMs = ms),
        });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch (err) {
        detail = (err as Error).message;
      }
      if (this.#closed) return;
      failures += 1;
      this.options.onState('reconnecting', detail);
      await new Promise((r) => setTimeout(r, Math.min(this.#retryMs * 2 ** Math.min(failures - 1, 3), MAX_BACKOFF_MS)));
    }
  }
}
