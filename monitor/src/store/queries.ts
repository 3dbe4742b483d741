// Reading the monitor's index: the detectors' window, the investigators' flows and counterparties, the pattern
// alerts still to raise, the checkpoint and the index's status.
import type { Database } from '@regchain/common/node';
import type { Condition, Transfer } from '../transfer';
import type { Checkpoint } from './writes';

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

export async function checkpoint(db: Database): Promise<Checkpoint | undefined> {
  const row = (await db.query<{ block: string | number; tx_id: string }>('SELECT block, tx_id FROM checkpoint WHERE id = 1')).rows[0];
  return row ? { block: BigInt(row.block), txId: row.tx_id } : undefined;
}

/** Transfers executed at or after `since`, in business-time order: the detectors' window, rebuilt on start. */
export async function transfersSince(db: Database, since: number): Promise<Transfer[]> {
  const rows = await db.query<{ transfer_id: string; payer: string; payee: string; amount: string | number; executed_at: string | number }>(
    'SELECT transfer_id, payer, payee, amount, executed_at FROM transfers WHERE executed_at >= $1 ORDER BY executed_at, transfer_id',
    [since],
  );
  return rows.rows.map((r) => ({ id: r.transfer_id, from: r.payer, to: r.payee, amount: Number(r.amount), executedAt: Number(r.executed_at) }));
}

/**
 * Each account's activity before `before`, what the window keeps of older history: its last material movement
 * (`minAmount` or more; undefined when none) and its first movement of any amount.
 */
export async function lastActivityBefore(db: Database, before: number, minAmount = 1): Promise<{ account: string; time: number | undefined; first: number }[]> {
  const rows = await db.query<{ account: string; latest: string | number | null; first: string | number }>(
    `SELECT account, max(CASE WHEN amount >= $2 THEN executed_at END) AS latest, min(executed_at) AS first FROM (
       SELECT payer AS account, executed_at, amount FROM transfers WHERE executed_at < $1
       UNION ALL SELECT payee AS account, executed_at, amount FROM transfers WHERE executed_at < $1
     ) AS activity GROUP BY account`,
    [before, minAmount],
  );
  return rows.rows.map((r) => ({ account: r.account, time: r.latest === null ? undefined : Number(r.latest), first: Number(r.first) }));
}

/** Transfers out of (or into) an account executed in [from, to], by time, at most `limit`. */
export async function flows(db: Database, direction: 'out' | 'in', account: string, from: number, to: number, limit: number): Promise<Required<Transfer>[]> {
  const side = direction === 'out' ? 'payer' : 'payee';
  const rows = await db.query<{
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
export async function counterparties(
  db: Database,
  account: string,
  from: number,
  to: number,
  limit: number,
): Promise<{ account: string; paid: number; payments: number; received: number; receipts: number }[]> {
  const rows = await db.query<{
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
export async function latestExecutedAt(db: Database): Promise<number | undefined> {
  const row = (await db.query<{ latest: string | number | null }>('SELECT max(executed_at) AS latest FROM transfers')).rows[0];
  return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
}

/** The keys of the pattern alerts raised on the chain. */
export async function raisedAlertKeys(db: Database): Promise<Set<string>> {
  return new Set((await db.query<{ key: string }>('SELECT key FROM pattern_alerts WHERE raised')).rows.map((r) => r.key));
}

/** Alerts found but not yet on the chain, oldest first. */
export async function pendingAlerts(db: Database): Promise<PendingAlert[]> {
  const rows = await db.query<{
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
export async function partiesOf(db: Database, transferIds: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ payer: string; payee: string }>('SELECT payer, payee FROM transfers WHERE transfer_id = ANY($1)', [transferIds]);
  return [...new Set(rows.rows.flatMap((r) => [r.payer, r.payee]))].sort();
}

export async function storeStatus(db: Database): Promise<StoreStatus> {
  const counts = (
    await db.query<{ transfers: string | number; found: string | number; pending: string | number }>(
      `SELECT (SELECT count(*) FROM transfers) AS transfers, (SELECT count(*) FROM pattern_alerts) AS found,
              (SELECT count(*) FROM pattern_alerts WHERE NOT raised) AS pending`,
    )
  ).rows[0];
  return {
    database: db.kind,
    checkpoint: await checkpoint(db),
    transfers: Number(counts?.transfers ?? 0),
    alertsFound: Number(counts?.found ?? 0),
    alertsPending: Number(counts?.pending ?? 0),
  };
}
