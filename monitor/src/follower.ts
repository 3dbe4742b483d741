// The monitor: follows committed transactions from a checkpoint, indexes their transfers, runs the detectors, and
// raises each new pattern alert on the chain once. Where the events come from and how an alert is raised are
// interfaces (Fabric in `fabric.ts`, fakes in tests), as the chaincode's trace walks an EdgeSource.
import type { DomainEvent } from '@regchain/common';
import { parseErrorMessage } from '@regchain/common';
import { type Alert, Engine } from './engine';
import { horizonOf, type Parameters } from './parameters';
import type { Checkpoint, PendingAlert, Store } from './store';
import type { Transfer } from './transfer';

/** A committed, valid transaction and the domain events it set. */
export interface Committed {
  readonly block: bigint;
  readonly txId: string;
  readonly events: readonly DomainEvent[];
}

export interface EventSource {
  /** Committed transactions after the checkpoint (from the first block when there is none), in ledger order. */
  follow(after: Checkpoint | undefined, signal: AbortSignal): AsyncIterable<Committed>;
}

/** The most evidence transfers (and accounts) one alert carries on the chain: the earliest of a larger pattern. */
export const MAX_EVIDENCE = 200;

/** Raises a pattern alert on the chain; answers its alert id, also when the chain already had it. */
export type Raiser = (alert: PendingAlert) => Promise<string>;

export interface MonitorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The alert id in an ALERT_EXISTS refusal: the chain had the instance already (raised before a restart). */
export function existingAlertId(err: unknown): string | undefined {
  const texts = [(err as Error)?.message ?? '', ...((err as { details?: { message: string }[] }).details ?? []).map((d) => d.message)];
  for (const text of texts) {
    const parsed = parseErrorMessage(text);
    if (parsed?.code === 'ALERT_EXISTS' && typeof parsed.details?.alertId === 'string') return parsed.details.alertId;
  }
  return undefined;
}

export function transfersOf(tx: Committed): Transfer[] {
  const out: Transfer[] = [];
  for (const e of tx.events) {
    if (e.type !== 'TransferRecorded') continue;
    const { transferId, from, to, amount, executedAt } = e;
    if (typeof transferId !== 'string' || typeof from !== 'string' || typeof to !== 'string' || typeof amount !== 'number' || typeof executedAt !== 'string')
      continue;
    out.push({ id: transferId, from, to, amount, executedAt: Math.floor(Date.parse(executedAt) / 1000) });
  }
  return out.sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
}

export class Monitor {
  readonly #store: Store;
  readonly #source: EventSource;
  readonly #raise: Raiser;
  readonly #parameters: Parameters;
  readonly #log: MonitorLog;
  readonly #engine: Engine;
  #known = new Set<string>();
  #raising: Promise<void> = Promise.resolve();

  constructor(deps: { store: Store; source: EventSource; raise: Raiser; parameters: Parameters; log: MonitorLog }) {
    this.#store = deps.store;
    this.#source = deps.source;
    this.#raise = deps.raise;
    this.#parameters = deps.parameters;
    this.#log = deps.log;
    this.#engine = new Engine(deps.parameters);
  }

  /**
   * Rebuilds the detectors' window from the index (the transfers of the last horizon, and each account's last
   * activity before it), then follows the chain
   * from the checkpoint until the signal aborts. Alerts the index knows are never raised again.
   */
  async run(signal: AbortSignal): Promise<void> {
    const latest = await this.#store.latestExecutedAt();
    if (latest !== undefined) {
      const since = latest - horizonOf(this.#parameters);
      for (const { account, time } of await this.#store.lastActivityBefore(since)) this.#engine.remember(account, time);
      for (const t of await this.#store.transfersSince(since)) this.#engine.observe(t);
    }
    this.#known = await this.#store.knownAlertKeys();
    const checkpoint = await this.#store.checkpoint();
    this.#log.info(
      { checkpoint: checkpoint && { block: checkpoint.block.toString(), txId: checkpoint.txId }, window: this.#engine.windowSize },
      'monitor resumes',
    );
    this.#raisePending();
    for await (const tx of this.#source.follow(checkpoint, signal)) {
      if (signal.aborted) break;
      await this.observe(tx);
    }
    await this.#raising;
  }

  /** One committed transaction: indexed with the alerts it completed and the checkpoint, then those alerts raised. */
  async observe(tx: Committed): Promise<Alert[]> {
    const transfers = transfersOf(tx);
    const found: Alert[] = [];
    for (const t of transfers) {
      for (const alert of this.#engine.observe(t)) {
        if (this.#known.has(alert.key)) continue;
        this.#known.add(alert.key);
        found.push(alert);
      }
    }
    await this.#store.record({ block: tx.block, txId: tx.txId }, transfers, found);
    if (found.length > 0) this.#raisePending();
    return found;
  }

  /** Waits for the alerts being raised now. */
  async settled(): Promise<void> {
    await this.#raising;
  }

  /** Raises what the index holds as pending, one after another; a failure leaves it pending for the next round. */
  #raisePending(): void {
    this.#raising = this.#raising.then(async () => {
      for (const pending of await this.#store.pendingAlerts()) {
        const transferIds = pending.transferIds.slice(0, MAX_EVIDENCE);
        const parties = new Set(transferIds.length < pending.transferIds.length ? await this.#store.partiesOf(transferIds) : pending.accounts);
        const alert = { ...pending, transferIds, accounts: pending.accounts.filter((a) => parties.has(a)).slice(0, MAX_EVIDENCE) };
        try {
          const alertId = await this.#raise(alert);
          await this.#store.markRaised(alert.key, alertId);
          this.#log.info({ alertId, typology: alert.typology, transfers: alert.transferIds.length }, 'pattern alert raised');
        } catch (err) {
          const alertId = existingAlertId(err);
          if (alertId) await this.#store.markRaised(alert.key, alertId);
          else this.#log.warn({ key: alert.key, err: (err as Error).message }, 'pattern alert not raised yet; kept for the next round');
        }
      }
    });
  }
}
