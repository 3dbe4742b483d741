// The monitor's off-chain index in SQL: embedded PGlite by default (no server), PostgreSQL when given a URL; the
// same schema and migrations (./migrations) on both. It holds the transfers of every committed block, the pattern
// alerts found (pending until the chain has them) and the checkpoint, each block's rows and checkpoint in one SQL
// transaction (./writes), so a monitor that stops anywhere resumes without missing or repeating a block; what the
// detectors, the investigators and the status page read is in ./queries and ./statistics. Rebuildable from the chain.
import { type Database, migrate, openDatabase } from '@regchain/common/node';
import * as path from 'node:path';
import type { Alert } from '../engine';
import type { Transfer } from '../transfer';
import * as queries from './queries';
import { type IndexStatistics, statisticsOf } from './statistics';
import { type Change, type Checkpoint, markLateReport, markRaised, recordBlock } from './writes';

export type { IndexStatistics } from './statistics';
export type { PendingAlert, StoreStatus } from './queries';
export type { Change, Checkpoint } from './writes';

const MIGRATIONS = path.join(__dirname, 'migrations');

/** How long one statement may run on PostgreSQL before the server cancels it. */
export const STATEMENT_TIMEOUT_MS = 15_000;

export class Store {
  readonly #db: Database;

  private constructor(db: Database) {
    this.#db = db;
  }

  /** PostgreSQL at `url` when given, else PGlite in `dir` (in memory without one). */
  static async open(options: { url?: string | undefined; dir?: string | undefined }): Promise<Store> {
    const db = await openDatabase({ url: options.url, dir: options.dir, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    const store = new Store(db);
    await store.#migrate();
    return store;
  }

  /** The SQL files of ./migrations not yet applied (a database migrated by the old runner keeps its versions). */
  async #migrate(): Promise<void> {
    await migrate(this.#db, MIGRATIONS, { legacyVersions: 'schema_migrations' });
  }

  /** One committed block: its transfers, alert and filing changes, the alerts they completed, and the checkpoint, all or nothing. */
  record(at: Checkpoint, transfers: readonly Transfer[], found: readonly Alert[], changes: readonly Change[] = []): Promise<void> {
    return recordBlock(this.#db, at, transfers, found, changes);
  }

  markRaised(key: string, alertId: string): Promise<void> {
    return markRaised(this.#db, key, alertId);
  }

  markLateReport(transferId: string, outcome: 'filed' | 'exists' | 'not late'): Promise<void> {
    return markLateReport(this.#db, transferId, outcome);
  }

  /** Late transfers the chain has not answered for yet, oldest first. */
  async pendingLateReports(): Promise<string[]> {
    const rows = await this.#db.query<{ transfer_id: string }>('SELECT transfer_id FROM late_reports WHERE outcome IS NULL ORDER BY recorded_at, transfer_id');
    return rows.rows.map((r) => r.transfer_id);
  }

  checkpoint(): Promise<Checkpoint | undefined> {
    return queries.checkpoint(this.#db);
  }

  transfersSince(since: number): ReturnType<typeof queries.transfersSince> {
    return queries.transfersSince(this.#db, since);
  }

  lastActivityBefore(before: number, minAmount?: number): ReturnType<typeof queries.lastActivityBefore> {
    return queries.lastActivityBefore(this.#db, before, minAmount);
  }

  flows(direction: 'out' | 'in', account: string, from: number, to: number, limit: number): ReturnType<typeof queries.flows> {
    return queries.flows(this.#db, direction, account, from, to, limit);
  }

  counterparties(account: string, from: number, to: number, limit: number): ReturnType<typeof queries.counterparties> {
    return queries.counterparties(this.#db, account, from, to, limit);
  }

  latestExecutedAt(): Promise<number | undefined> {
    return queries.latestExecutedAt(this.#db);
  }

  raisedAlertKeys(): Promise<Set<string>> {
    return queries.raisedAlertKeys(this.#db);
  }

  pendingAlerts(): ReturnType<typeof queries.pendingAlerts> {
    return queries.pendingAlerts(this.#db);
  }

  partiesOf(transferIds: readonly string[]): Promise<string[]> {
    return queries.partiesOf(this.#db, transferIds);
  }

  status(): ReturnType<typeof queries.storeStatus> {
    return queries.storeStatus(this.#db);
  }

  /** Statistics over everything indexed, with the daily series over the last `days` days. */
  async statistics(days: number): Promise<IndexStatistics> {
    return statisticsOf(this.#db, await this.latestExecutedAt(), days);
  }

  /** Empties the index: the monitor then rebuilds it from the chain's first block. */
  async reset(): Promise<void> {
    await this.#db.query('DROP TABLE IF EXISTS transfers, pattern_alerts, checkpoint, alerts, filings, late_reports, schema_migrations, migrations');
    await this.#migrate();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
