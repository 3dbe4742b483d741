// The monitor: follows committed blocks from a checkpoint, indexes their transfers, runs the detectors, and raises
// each new pattern alert on the chain once. Where the events come from and how an alert is raised are
// interfaces (Fabric in `fabric.ts`, fakes in tests), as the chaincode's trace walks an EdgeSource.
import { DAY, type DomainEvent } from '@regchain/common';
import { chaincodeErrorOf } from '@regchain/fabric';
import { type Alert, Engine, materialAmount } from './engine';
import { DEFAULT_PARAMETERS, horizonOf, type Parameters } from './parameters';
import type { Change, Checkpoint, PendingAlert, Store } from './store';
import type { Transfer } from './transfer';

/** A committed block: its valid transactions' domain events (none for most blocks of other kinds). */
export interface Committed {
  readonly block: bigint;
  /** `time`: when the transaction was proposed, in seconds (what alert and filing changes are dated by). */
  readonly transactions: readonly { readonly txId: string; readonly time?: number; readonly events: readonly DomainEvent[] }[];
}

export interface EventSource {
  /** Every block after the checkpoint's (from the first when there is none), in order. */
  follow(after: Checkpoint | undefined, signal: AbortSignal): AsyncIterable<Committed>;
}

/** The most evidence transfers (and accounts) one alert carries on the chain: the earliest of a larger pattern. */
export const MAX_EVIDENCE = 200;

/** Raises a pattern alert on the chain; answers its alert id, also when the chain already had it. */
export type Raiser = (alert: PendingAlert) => Promise<string>;

/**
 * Late reporting for credit files: how late (days) the model in force lets a transfer be recorded, and the filing
 * of some in their reporters' files (credit:recordLateReports, which checks each lateness itself): which were
 * filed now and which before, or the one that was not late after all (the model changed), which refused the call.
 */
export interface LateReporting {
  lateReportDays(): Promise<number>;
  file(transferIds: readonly string[]): Promise<{ filed: readonly string[]; already: readonly string[] } | { notLate: string }>;
}

/** Late transfers filed in one transaction. */
export const LATE_BATCH = 200;

export interface MonitorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The alert id in an ALERT_EXISTS refusal: the chain had the instance already (raised before a restart). */
export function existingAlertId(err: unknown): string | undefined {
  const refusal = chaincodeErrorOf(err);
  return refusal?.code === 'ALERT_EXISTS' && typeof refusal.details?.alertId === 'string' ? refusal.details.alertId : undefined;
}

export function transfersOf(block: Committed): Transfer[] {
  const out: Transfer[] = [];
  for (const e of block.transactions.flatMap((tx) => tx.events)) {
    if (e.type !== 'TransferRecorded') continue;
    const { transferId, from, to, amount, executedAt, purpose, projectId } = e;
    if (typeof transferId !== 'string' || typeof from !== 'string' || typeof to !== 'string' || typeof amount !== 'number' || typeof executedAt !== 'string')
      continue;
    out.push({
      id: transferId,
      from,
      to,
      amount,
      executedAt: Math.floor(Date.parse(executedAt) / 1000),
      purpose: typeof purpose === 'string' ? purpose : '',
      projectId: typeof projectId === 'string' ? projectId : '',
    });
  }
  return out.sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
}

const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** The transfers of a block recorded more than `days` after they were executed: for their reporters' credit files. */
export function lateReportsOf(block: Committed, days: number): Change[] {
  const out: Change[] = [];
  for (const tx of block.transactions) {
    for (const e of tx.events) {
      if (e.type !== 'TransferRecorded' || typeof e.transferId !== 'string' || typeof e.executedAt !== 'string' || tx.time === undefined) continue;
      const executedAt = Math.floor(Date.parse(e.executedAt) / 1000);
      if (tx.time - executedAt > days * DAY) out.push({ kind: 'lateReport', transferId: e.transferId, executedAt, time: tx.time });
    }
  }
  return out;
}

/** What the block did to alerts and filings, in order: the index's statistics count them. */
export function changesOf(block: Committed): Change[] {
  const out: Change[] = [];
  for (const tx of block.transactions) {
    const time = tx.time ?? 0;
    for (const e of tx.events) {
      if (e.type === 'AlertRaised') {
        out.push({ kind: 'alertRaised', alertId: text(e.alertId), ruleId: text(e.ruleId), severity: text(e.severity), time });
      } else if (e.type === 'AlertAcknowledged' || e.type === 'AlertResolved' || e.type === 'AlertMarkedFalsePositive') {
        out.push({ kind: 'alertStatus', alertId: text(e.alertId), status: text(e.status), time });
      } else if (e.type === 'FilingSubmitted') {
        // Ledgers written before filing events carried category and status: the category is unknown, the status submitted.
        out.push({
          kind: 'filingSubmitted',
          filingId: text(e.filingId),
          entityId: text(e.entityId),
          category: text(e.category),
          status: text(e.status, 'submitted'),
          time,
        });
      } else if (e.type.startsWith('Filing') && typeof e.status === 'string') {
        out.push({
          kind: 'filingStatus',
          filingId: text(e.filingId),
          status: e.status,
          ...(typeof e.category === 'string' ? { category: e.category } : {}),
          time,
        });
      }
    }
  }
  return out;
}

export class Monitor {
  readonly #store: Store;
  readonly #source: EventSource;
  readonly #raise: Raiser;
  readonly #parametersInForce: () => Promise<Parameters>;
  readonly #log: MonitorLog;
  readonly #retryMs: number;
  readonly #late: LateReporting | undefined;
  /** Until read from the chain (at the start of a run), no transfer counts as late. */
  #lateReportDays = Infinity;
  #lateFailed = false;
  /** The run's: once it aborts, filing stops after the batch in flight and the rest stays pending for the next start. */
  #signal: AbortSignal | undefined;
  #filing: Promise<void> = Promise.resolve();
  #engine: Engine;
  #parameters: Parameters;
  #raising: Promise<void> = Promise.resolve();
  #failed = false;

  /**
   * `parameters`: the set in force on the chain (read at start and whenever the regulator publishes one).
   * `retryMs`: how soon a raise that failed is tried again, whether or not another pattern turns up.
   * `late`: files transfers recorded late in their reporters' credit files (none: not done).
   */
  constructor(deps: {
    store: Store;
    source: EventSource;
    raise: Raiser;
    parameters: () => Promise<Parameters>;
    log: MonitorLog;
    retryMs?: number;
    late?: LateReporting;
  }) {
    this.#retryMs = deps.retryMs ?? 10_000;
    this.#late = deps.late;
    this.#store = deps.store;
    this.#source = deps.source;
    this.#raise = deps.raise;
    this.#parametersInForce = deps.parameters;
    this.#log = deps.log;
    this.#parameters = DEFAULT_PARAMETERS;
    this.#engine = new Engine(DEFAULT_PARAMETERS);
  }

  /**
   * A fresh engine under the parameters in force, its window rebuilt from the index: the transfers of the last
   * horizon, and each account's last activity before it (dormancy needs it).
   */
  async #rebuild(): Promise<void> {
    this.#parameters = await this.#parametersInForce();
    if (this.#late) this.#lateReportDays = await this.#late.lateReportDays();
    this.#engine = new Engine(this.#parameters);
    this.#engine.restore(await this.#store.raisedAlertKeys());
    const latest = await this.#store.latestExecutedAt();
    if (latest === undefined) {
      this.#engine.sealRestored();
      return;
    }
    const since = latest - horizonOf(this.#parameters);
    for (const { account, time, first } of await this.#store.lastActivityBefore(since, materialAmount(this.#parameters))) {
      this.#engine.remember(account, time, first);
    }
    for (const t of await this.#store.transfersSince(since)) this.#engine.observe(t);
    this.#engine.sealRestored();
  }

  /** Rebuilds the detectors (see #rebuild), then follows the chain from the checkpoint until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    await this.#rebuild();
    const checkpoint = await this.#store.checkpoint();
    this.#log.info(
      {
        checkpoint: checkpoint && { block: checkpoint.block.toString(), txId: checkpoint.txId },
        window: this.#engine.windowSize,
        parametersVersion: this.#parameters.version,
      },
      'monitor resumes',
    );
    this.#raisePending();
    this.#fileLateReports();
    // A raise that failed is tried again on its own schedule, not only when the next pattern appears.
    const retry = setInterval(() => {
      if (this.#failed) this.#raisePending();
      if (this.#lateFailed) this.#fileLateReports();
    }, this.#retryMs);
    try {
      for await (const block of this.#source.follow(checkpoint, signal)) {
        if (signal.aborted) break;
        await this.observe(block);
      }
    } finally {
      clearInterval(retry);
    }
    await this.#raising;
    await this.#filing;
  }

  get parametersVersion(): number {
    return this.#parameters.version;
  }

  /**
   * One committed block: indexed with the alerts it found or extended (only alerts not yet on the chain change;
   * the engine gives a pattern beyond a raised alert a key of its own) and the checkpoint, then those raised.
   */
  async observe(block: Committed): Promise<Alert[]> {
    const transfers = transfersOf(block);
    const changed = new Map<string, Alert>();
    for (const t of transfers) {
      for (const alert of this.#engine.observe(t)) changed.set(alert.key, alert);
    }
    // What late transfers in the block change of the slow patterns, judged once for the block.
    for (const alert of this.#engine.settle()) changed.set(alert.key, alert);
    const found = [...changed.values()];
    const last = block.transactions[block.transactions.length - 1];
    const late = this.#late ? lateReportsOf(block, this.#lateReportDays) : [];
    await this.#store.record({ block: block.block, txId: last?.txId ?? '' }, transfers, found, [...changesOf(block), ...late]);
    if (found.length > 0) this.#raisePending();
    if (late.length > 0) this.#fileLateReports();
    if (this.#late && block.transactions.some((tx) => tx.events.some((e) => e.type === 'CreditModelPublished'))) {
      this.#lateReportDays = await this.#late.lateReportDays();
    }
    if (block.transactions.some((tx) => tx.events.some((e) => e.type === 'TypologiesPublished'))) {
      await this.#rebuild();
      this.#log.info({ parametersVersion: this.#parameters.version, block: block.block.toString() }, 'typology parameters changed; detectors rebuilt');
    }
    return found;
  }

  /** Waits for the alerts being raised and the late reports being filed now. */
  async settled(): Promise<void> {
    await this.#raising;
    await this.#filing;
  }

  /** Files what the index holds as late and unanswered, one after another; a failure leaves it for the next round. */
  #fileLateReports(): void {
    const late = this.#late;
    if (!late) return;
    this.#filing = this.#filing.then(async () => {
      this.#lateFailed = false;
      for (
        let pending = await this.#store.pendingLateReports();
        pending.length > 0 && !this.#signal?.aborted;
        pending = await this.#store.pendingLateReports()
      ) {
        const batch = pending.slice(0, LATE_BATCH);
        try {
          const answer = await late.file(batch);
          if ('notLate' in answer) {
            await this.#store.markLateReport(answer.notLate, 'not late');
            continue;
          }
          for (const id of answer.filed) await this.#store.markLateReport(id, 'filed');
          for (const id of answer.already) await this.#store.markLateReport(id, 'exists');
          this.#log.info({ filed: answer.filed.length, already: answer.already.length }, 'late reports filed');
        } catch (err) {
          this.#lateFailed = true;
          this.#log.warn({ transfers: batch.length, err }, 'late reports not filed yet; tried again shortly');
          return;
        }
      }
    });
  }

  /**
   * Raises what the index holds as pending, one after another; a failure leaves it pending for the next round.
   * An alert is sealed as it is sent: the evidence raised is the engine's at that moment, and whatever turns up
   * after it is a pattern of its own.
   */
  #raisePending(): void {
    this.#raising = this.#raising.then(async () => {
      this.#failed = false;
      for (const row of await this.#store.pendingAlerts()) {
        // Stopping: what is not raised yet stays pending in the index for the next start.
        if (this.#signal?.aborted) break;
        this.#engine.seal(row.key);
        const live = this.#engine.alert(row.key);
        const pending = live ? { ...row, score: live.score, accounts: live.accounts, transferIds: live.transfers.map((t) => t.id) } : row;
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
          else {
            this.#failed = true;
            this.#log.warn({ key: alert.key, err }, 'pattern alert not raised yet; tried again shortly');
          }
        }
      }
    });
  }
}
