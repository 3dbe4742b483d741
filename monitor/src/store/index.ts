// The monitor's off-chain index in SQL: embedded PGlite by default (no server), PostgreSQL when given a URL; the
// same schema and migrations on both. It holds the transfers of every committed block, the pattern alerts found
// (pending until the chain has them) and the checkpoint, each block's rows and checkpoint in one SQL transaction,
// so a monitor that stops anywhere resumes without missing or repeating a block. Rebuildable from the chain.
import { type Database, migrate, openDatabase, type Sql } from '@regchain/common/node';
import * as path from 'node:path';
import type { Alert } from '../engine';
import type { Condition, Transfer } from '../transfer';
import { type IndexStatistics, statisticsOf } from './statistics';

export type { IndexStatistics } from './statistics';

const MIGRATIONS = path.join(__dirname, 'migrations');

/** How long one statement may run on PostgreSQL before the server cancels it. */
export const STATEMENT_TIMEOUT_MS = 15_000;

/** Rows per INSERT statement: far under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000;

/** What a block did to an alert or a filing, decoded from its events (times: the transaction's, in seconds). */
export type Change =
  | { readonly kind: 'alertRaised'; readonly alertId: string; readonly ruleId: string; readonly severity: string; readonly time: number }
  | { readonly kind: 'alertStatus'; readonly alertId: string; readonly status: string; readonly time: number }
  | {
      readonly kind: 'filingSubmitted';
      readonly filingId: string;
      readonly entityId: string;
      readonly category: string;
      readonly status: string;
      readonly time: number;
    }
  | { readonly kind: 'filingStatus'; readonly filingId: string; readonly status: string; readonly category?: string; readonly time: number };

export interface Checkpoint {
  /** The last block indexed, whole, and its last regchain transaction ('' when it had none). */
  readonly block: bigint;
  readonly txId: string;
}

export interface StoreStatus {
  readonly database: 'pglite' | 'postgresql';
  readonly checkpoint: Checkpoint | undefined;
  readonly transfers: number;
  readonly alertsFound: number;
  readonly alertsPending: number;
}

export interface PendingAlert {
  readonly key: string;
  readonly typology: string;
  readonly parametersVersion: number;
  readonly score: number;
  readonly accounts: string[];
  readonly transferIds: string[];
  readonly conditions: Condition[];
}

async function applyChange(tx: Sql, c: Change): Promise<void> {
  switch (c.kind) {
    case 'alertRaised':
      await tx.query(
        `INSERT INTO alerts (alert_id, rule_id, severity, status, raised_at, updated_at) VALUES ($1, $2, $3, 'open', $4, $4) ON CONFLICT (alert_id) DO NOTHING`,
        [c.alertId, c.ruleId, c.severity, c.time],
      );
      return;
    case 'alertStatus':
      await tx.query('UPDATE alerts SET status = $2, updated_at = $3 WHERE alert_id = $1', [c.alertId, c.status, c.time]);
      return;
    case 'filingSubmitted':
      await tx.query(
        `INSERT INTO filings (filing_id, entity_id, category, status, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (filing_id) DO NOTHING`,
        [c.filingId, c.entityId, c.category, c.status, c.time],
      );
      return;
    case 'filingStatus':
      await tx.query('UPDATE filings SET status = $2, category = coalesce($3, category), updated_at = $4 WHERE filing_id = $1', [
        c.filingId,
        c.status,
        c.category ?? null,
        c.time,
      ]);
  }
}

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

  async checkpoint(): Promise<Checkpoint | undefined> {
    const row = (await this.#db.query<{ block: string | number; tx_id: string }>('SELECT block, tx_id FROM checkpoint WHERE id = 1')).rows[0];
    return row ? { block: BigInt(row.block), txId: row.tx_id } : undefined;
  }

  /** One committed block: its transfers, alert and filing changes, the alerts they completed, and the checkpoint, all or nothing. */
  async record(at: Checkpoint, transfers: readonly Transfer[], found: readonly Alert[], changes: readonly Change[] = []): Promise<void> {
    await this.#db.transaction(async (tx) => {
      // A batch of 500 transfers is a few statements, not 500.
      const columns = 7;
      for (let i = 0; i < transfers.length; i += ROWS_PER_INSERT) {
        const rows = transfers.slice(i, i + ROWS_PER_INSERT);
        const values = rows.map(
          (_t, j) =>
            `(${Array.from({ length: columns }, (_c, k) => `$${j * columns + k + 1}`).join(', ')}, $${rows.length * columns + 1}, $${rows.length * columns + 2})`,
        );
        await tx.query(
          `INSERT INTO transfers (transfer_id, payer, payee, amount, executed_at, purpose, project_id, block, tx_id) VALUES ${values.join(', ')}
           ON CONFLICT (transfer_id) DO NOTHING`,
          [...rows.flatMap((t) => [t.id, t.from, t.to, t.amount, t.executedAt, t.purpose ?? '', t.projectId ?? '']), at.block.toString(), at.txId],
        );
      }
      for (const c of changes) await applyChange(tx, c);
      for (const a of found) {
        await tx.query(
          `INSERT INTO pattern_alerts (key, typology, parameters_version, score, accounts, transfer_ids, conditions, found_block)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (key) DO UPDATE SET score = EXCLUDED.score, accounts = EXCLUDED.accounts, transfer_ids = EXCLUDED.transfer_ids,
             conditions = EXCLUDED.conditions
           WHERE NOT pattern_alerts.raised`,
          [
            a.key,
            a.typology,
            a.parametersVersion,
            a.score,
            JSON.stringify(a.accounts),
            JSON.stringify(a.transfers.map((t) => t.id)),
            JSON.stringify(a.conditions),
            at.block.toString(),
          ],
        );
      }
      await tx.query(
        `INSERT INTO checkpoint (id, block, tx_id, updated_at) VALUES (1, $1, $2, now())
         ON CONFLICT (id) DO UPDATE SET block = EXCLUDED.block, tx_id = EXCLUDED.tx_id, updated_at = now()`,
        [at.block.toString(), at.txId],
      );
    });
  }

  /** Transfers executed at or after `since`, in business-time order: the detectors' window, rebuilt on start. */
  async transfersSince(since: number): Promise<Transfer[]> {
    const rows = await this.#db.query<{ transfer_id: string; payer: string; payee: string; amount: string | number; executed_at: string | number }>(
      'SELECT transfer_id, payer, payee, amount, executed_at FROM transfers WHERE executed_at >= $1 ORDER BY executed_at, transfer_id',
      [since],
    );
    return rows.rows.map((r) => ({ id: r.transfer_id, from: r.payer, to: r.payee, amount: Number(r.amount), executedAt: Number(r.executed_at) }));
  }

  /**
   * Each account's activity before `before`, what the window keeps of older history: its last material movement
   * (`minAmount` or more; undefined when none) and its first movement of any amount.
   */
  async lastActivityBefore(before: number, minAmount = 1): Promise<{ account: string; time: number | undefined; first: number }[]> {
    const rows = await this.#db.query<{ account: string; latest: string | number | null; first: string | number }>(
      `SELECT account, max(CASE WHEN amount >= $2 THEN executed_at END) AS latest, min(executed_at) AS first FROM (
         SELECT payer AS account, executed_at, amount FROM transfers WHERE executed_at < $1
         UNION ALL SELECT payee AS account, executed_at, amount FROM transfers WHERE executed_at < $1
       ) AS activity GROUP BY account`,
      [before, minAmount],
    );
    return rows.rows.map((r) => ({ account: r.account, time: r.latest === null ? undefined : Number(r.latest), first: Number(r.first) }));
  }

  /** Transfers out of (or into) an account executed in [from, to], by time, at most `limit`. */
  async flows(direction: 'out' | 'in', account: string, from: number, to: number, limit: number): Promise<Required<Transfer>[]> {
    const side = direction === 'out' ? 'payer' : 'payee';
    const rows = await this.#db.query<{
      transfer_id: string;
      payer: string;
      payee: string;
      amount: string | number;
      executed_at: string | number;
      purpose: string;
      project_id: string;
    }>(
      `SELECT transfer_id, payer, payee, amount, executed_at, purpose, project_id FROM transfers
       WHERE ${side} = $1 AND executed_at BETWEEN $2 AND $3 ORDER BY executed_at, transfer_id LIMIT $4`,
      [account, from, to, limit],
    );
    return rows.rows.map((r) => ({
      id: r.transfer_id,
      from: r.payer,
      to: r.payee,
      amount: Number(r.amount),
      executedAt: Number(r.executed_at),
      purpose: r.purpose,
      projectId: r.project_id,
    }));
  }

  /** An account's counterparties in [from, to]: sums and counts each way, largest first. */
  async counterparties(
    account: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<{ account: string; paid: number; payments: number; received: number; receipts: number }[]> {
    const rows = await this.#db.query<{
      account: string;
      paid: string | number;
      payments: string | number;
      received: string | number;
      receipts: string | number;
    }>(
      `SELECT account, sum(paid) AS paid, sum(payments) AS payments, sum(received) AS received, sum(receipts) AS receipts FROM (
         SELECT payee AS account, amount AS paid, 1 AS payments, 0 AS received, 0 AS receipts FROM transfers WHERE payer = $1 AND executed_at BETWEEN $2 AND $3
         UNION ALL
         SELECT payer AS account, 0, 0, amount, 1 FROM transfers WHERE payee = $1 AND executed_at BETWEEN $2 AND $3
       ) AS flows GROUP BY account ORDER BY sum(paid) + sum(received) DESC, account LIMIT $4`,
      [account, from, to, limit],
    );
    return rows.rows.map((r) => ({
      account: r.account,
      paid: Number(r.paid),
      payments: Number(r.payments),
      received: Number(r.received),
      receipts: Number(r.receipts),
    }));
  }

  /** The latest business time indexed. */
  async latestExecutedAt(): Promise<number | undefined> {
    const row = (await this.#db.query<{ latest: string | number | null }>('SELECT max(executed_at) AS latest FROM transfers')).rows[0];
    return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  }

  /** The keys of the pattern alerts raised on the chain. */
  async raisedAlertKeys(): Promise<Set<string>> {
    return new Set((await this.#db.query<{ key: string }>('SELECT key FROM pattern_alerts WHERE raised')).rows.map((r) => r.key));
  }

  /** Alerts found but not yet on the chain, oldest first. */
  async pendingAlerts(): Promise<PendingAlert[]> {
    const rows = await this.#db.query<{
      key: string;
      typology: string;
      parameters_version: number;
      score: number;
      accounts: string[] | string;
      transfer_ids: string[] | string;
      conditions: Condition[] | string;
    }>('SELECT key, typology, parameters_version, score, accounts, transfer_ids, conditions FROM pattern_alerts WHERE NOT raised ORDER BY found_block, key');
    const list = <T>(v: T[] | string): T[] => (typeof v === 'string' ? (JSON.parse(v) as T[]) : v);
    return rows.rows.map((r) => ({
      key: r.key,
      typology: r.typology,
      parametersVersion: Number(r.parameters_version),
      score: Number(r.score),
      accounts: list(r.accounts),
      transferIds: list(r.transfer_ids),
      conditions: list(r.conditions),
    }));
  }

  /** The accounts party to these transfers. */
  async partiesOf(transferIds: readonly string[]): Promise<string[]> {
    const rows = await this.#db.query<{ payer: string; payee: string }>('SELECT payer, payee FROM transfers WHERE transfer_id = ANY($1)', [transferIds]);
    return [...new Set(rows.rows.flatMap((r) => [r.payer, r.payee]))].sort();
  }

  async markRaised(key: string, alertId: string): Promise<void> {
    await this.#db.query('UPDATE pattern_alerts SET raised = true, alert_id = $2 WHERE key = $1', [key, alertId]);
  }

  async status(): Promise<StoreStatus> {
    const counts = (
      await this.#db.query<{ transfers: string | number; found: string | number; pending: string | number }>(
        `SELECT (SELECT count(*) FROM transfers) AS transfers, (SELECT count(*) FROM pattern_alerts) AS found,
                (SELECT count(*) FROM pattern_alerts WHERE NOT raised) AS pending`,
      )
    ).rows[0];
    return {
      database: this.#db.kind,
      checkpoint: await this.checkpoint(),
      transfers: Number(counts?.transfers ?? 0),
      alertsFound: Number(counts?.found ?? 0),
      alertsPending: Number(counts?.pending ?? 0),
    };
  }

  /** Statistics over everything indexed, with the daily series over the last `days` days. */
  async statistics(days: number): Promise<IndexStatistics> {
    return statisticsOf(this.#db, await this.latestExecutedAt(), days);
  }

  /** Empties the index: the monitor then rebuilds it from the chain's first block. */
  async reset(): Promise<void> {
    await this.#db.query('DROP TABLE IF EXISTS transfers, pattern_alerts, checkpoint, alerts, filings, schema_migrations, migrations');
    await this.#migrate();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
