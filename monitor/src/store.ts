// The monitor's off-chain index in SQL: embedded PGlite by default (no server), PostgreSQL when given a URL; the
// same schema and migrations on both. It holds the transfers of every committed block, the pattern alerts found
// (pending until the chain has them) and the checkpoint, each block's rows and checkpoint in one SQL transaction,
// so a monitor that stops anywhere resumes without missing or repeating a block. Rebuildable from the chain.
import { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { patternPrecision } from '@regchain/common';
import type { Alert } from './engine';
import type { Condition, Transfer } from './transfer';

/** What both databases offer: parameterised queries and a transaction. */
interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

interface Database extends Sql {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgresql';
}

async function pglite(dir: string | undefined): Promise<Database> {
  const db = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    kind: 'pglite',
    query: (text, params) => db.query(text, params),
    transaction: (fn) => db.transaction((tx) => fn({ query: (text, params) => tx.query(text, params) })),
    close: () => db.close(),
  };
}

function postgresql(url: string): Database {
  // A query that runs past STATEMENT_TIMEOUT_MS is cancelled by the server: one heavy trace cannot hold a connection.
  const pool = new Pool({ connectionString: url, max: 4, statement_timeout: STATEMENT_TIMEOUT_MS });
  return {
    kind: 'postgresql',
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await pool.query(text, params)).rows as T[] }),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** How long one statement may run on PostgreSQL before the server cancels it. */
export const STATEMENT_TIMEOUT_MS = 15_000;

/** Rows per INSERT statement: far under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000;

/** Applied in order, once each; a database records the versions it has. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE transfers (
     transfer_id text PRIMARY KEY,
     payer text NOT NULL,
     payee text NOT NULL,
     amount bigint NOT NULL,
     executed_at bigint NOT NULL,
     block bigint NOT NULL,
     tx_id text NOT NULL
   );
   CREATE INDEX transfers_payer ON transfers (payer, executed_at);
   CREATE INDEX transfers_payee ON transfers (payee, executed_at);
   CREATE INDEX transfers_executed ON transfers (executed_at);
   CREATE TABLE pattern_alerts (
     key text PRIMARY KEY,
     typology text NOT NULL,
     parameters_version integer NOT NULL,
     score double precision NOT NULL,
     accounts jsonb NOT NULL,
     transfer_ids jsonb NOT NULL,
     found_block bigint NOT NULL,
     alert_id text,
     raised boolean NOT NULL DEFAULT false
   );
   CREATE TABLE checkpoint (
     id integer PRIMARY KEY CHECK (id = 1),
     block bigint NOT NULL,
     tx_id text NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   );`,
  `ALTER TABLE transfers ADD COLUMN purpose text NOT NULL DEFAULT '';
   ALTER TABLE transfers ADD COLUMN project_id text NOT NULL DEFAULT ''`,
  // Every alert and filing, for statistics over the whole history. Indexes built before this lack them (and
  // purposes and projects): their transfers and checkpoint are dropped, so the monitor indexes the chain again from
  // its first block. The alerts found are kept: none is raised twice.
  `CREATE TABLE alerts (
     alert_id text PRIMARY KEY,
     rule_id text NOT NULL,
     severity text NOT NULL,
     status text NOT NULL,
     raised_at bigint NOT NULL,
     updated_at bigint NOT NULL
   );
   CREATE INDEX alerts_raised ON alerts (raised_at);
   CREATE TABLE filings (
     filing_id text PRIMARY KEY,
     entity_id text NOT NULL,
     category text NOT NULL,
     status text NOT NULL,
     submitted_at bigint NOT NULL,
     updated_at bigint NOT NULL
   );
   DELETE FROM transfers;
   DELETE FROM checkpoint`,
  // Why each pattern was found: its conditions, raised with it.
  `ALTER TABLE pattern_alerts ADD COLUMN conditions jsonb NOT NULL DEFAULT '[]'`,
];

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

/** Statistics over everything indexed; the same tables as the chaincode's, and a day-by-day series. */
export interface IndexStatistics {
  readonly filings: { status: string; category: string; count: number }[];
  readonly alerts: { ruleId: string; severity: string; status: string; count: number }[];
  readonly patterns: { typology: string; alerts: number; resolved: number; falsePositives: number; precision: number | null }[];
  readonly transfers: { projectId: string; purpose: string; count: number; amount: number }[];
  /** Per business day (UTC) of the last `days` up to the latest transfer: transfers executed, their sum, alerts raised. */
  readonly daily: { day: string; transfers: number; amount: number; alerts: number }[];
}

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

const DAY_SECONDS = 86_400;

export class Store {
  readonly #db: Database;

  private constructor(db: Database) {
    this.#db = db;
  }

  /** PostgreSQL at `url` when given, else PGlite in `dir` (in memory without one). */
  static async open(options: { url?: string | undefined; dir?: string | undefined }): Promise<Store> {
    const db = options.url ? postgresql(options.url) : await pglite(options.dir);
    const store = new Store(db);
    await store.#migrate();
    return store;
  }

  async #migrate(): Promise<void> {
    await this.#db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)');
    const done = new Set((await this.#db.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    for (const [i, sql] of MIGRATIONS.entries()) {
      const version = i + 1;
      if (done.has(version)) continue;
      await this.#db.transaction(async (tx) => {
        for (const statement of sql
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean))
          await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      });
    }
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
    const q = async <T>(text: string, params?: unknown[]): Promise<T[]> => (await this.#db.query<T>(text, params)).rows;
    type Counted = { count: string | number };
    const filings = await q<{ status: string; category: string } & Counted>(
      'SELECT status, category, count(*) AS count FROM filings GROUP BY status, category ORDER BY status, category',
    );
    const alerts = await q<{ rule_id: string; severity: string; status: string } & Counted>(
      'SELECT rule_id, severity, status, count(*) AS count FROM alerts GROUP BY rule_id, severity, status ORDER BY rule_id, severity, status',
    );
    const patterns = await q<{ typology: string; alerts: string | number; resolved: string | number; false_positives: string | number }>(
      `SELECT substr(rule_id, 9) AS typology, count(*) AS alerts,
              count(*) FILTER (WHERE status = 'resolved') AS resolved, count(*) FILTER (WHERE status = 'false_positive') AS false_positives
       FROM alerts WHERE rule_id LIKE 'pattern.%' GROUP BY rule_id ORDER BY rule_id`,
    );
    const transfers = await q<{ project_id: string; purpose: string; amount: string | number } & Counted>(
      `SELECT CASE WHEN project_id = '' THEN '-' ELSE project_id END AS project_id, purpose, count(*) AS count, sum(amount) AS amount
       FROM transfers GROUP BY 1, purpose ORDER BY 1, purpose`,
    );
    const latest = await this.latestExecutedAt();
    const last = Math.floor((latest ?? 0) / DAY_SECONDS);
    const first = last - days + 1;
    const perDay =
      latest === undefined
        ? []
        : await q<{ day: string | number; transfers: string | number; amount: string | number; alerts: string | number }>(
            `SELECT day, sum(transfers) AS transfers, sum(amount) AS amount, sum(alerts) AS alerts FROM (
             SELECT executed_at / ${DAY_SECONDS} AS day, count(*) AS transfers, sum(amount) AS amount, 0 AS alerts
               FROM transfers WHERE executed_at >= $1 AND executed_at < $2 GROUP BY 1
             UNION ALL
             SELECT raised_at / ${DAY_SECONDS}, 0, 0, count(*) FROM alerts WHERE raised_at >= $1 AND raised_at < $2 GROUP BY 1
           ) AS d GROUP BY day ORDER BY day`,
            [first * DAY_SECONDS, (last + 1) * DAY_SECONDS],
          );
    const n = Number;
    return {
      filings: filings.map((r) => ({ status: r.status, category: r.category, count: n(r.count) })),
      alerts: alerts.map((r) => ({ ruleId: r.rule_id, severity: r.severity, status: r.status, count: n(r.count) })),
      patterns: patterns.map((r) => ({
        typology: r.typology,
        alerts: n(r.alerts),
        resolved: n(r.resolved),
        falsePositives: n(r.false_positives),
        precision: patternPrecision(n(r.resolved), n(r.false_positives)),
      })),
      transfers: transfers.map((r) => ({ projectId: r.project_id, purpose: r.purpose, count: n(r.count), amount: n(r.amount) })),
      daily: perDay.map((r) => ({
        day: new Date(n(r.day) * DAY_SECONDS * 1000).toISOString().slice(0, 10),
        transfers: n(r.transfers),
        amount: n(r.amount),
        alerts: n(r.alerts),
      })),
    };
  }

  /** Empties the index: the monitor then rebuilds it from the chain's first block. */
  async reset(): Promise<void> {
    await this.#db.query('DROP TABLE IF EXISTS transfers, pattern_alerts, checkpoint, alerts, filings, schema_migrations');
    await this.#migrate();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
