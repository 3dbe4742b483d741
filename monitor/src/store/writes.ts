// Writing the monitor's index: one committed block's transfers, alert and filing changes, the pattern alerts it
// completed and the checkpoint, in one SQL transaction; and a pattern alert marked once the chain has it.
import type { Database, Sql } from '@regchain/common/node';
import type { Alert } from '../engine';
import type { Transfer } from '../transfer';

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
  | { readonly kind: 'filingStatus'; readonly filingId: string; readonly status: string; readonly category?: string; readonly time: number }
  /** A transfer recorded later than the credit model in force allows (`time`: when it was recorded). */
  | { readonly kind: 'lateReport'; readonly transferId: string; readonly executedAt: number; readonly time: number };

export interface Checkpoint {
  /** The last block indexed, whole, and its last regchain transaction ('' when it had none). */
  readonly block: bigint;
  readonly txId: string;
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
    case 'lateReport':
      await tx.query('INSERT INTO late_reports (transfer_id, executed_at, recorded_at) VALUES ($1, $2, $3) ON CONFLICT (transfer_id) DO NOTHING', [
        c.transferId,
        c.executedAt,
        c.time,
      ]);
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

/** One committed block: its transfers, alert and filing changes, the alerts they completed, and the checkpoint, all or nothing. */
export async function recordBlock(
  db: Database,
  at: Checkpoint,
  transfers: readonly Transfer[],
  found: readonly Alert[],
  changes: readonly Change[] = [],
): Promise<void> {
  await db.transaction(async (tx) => {
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

/** The chain's answer to a late report: filed now, exists (filed before), not late (by the model in force then). */
export async function markLateReport(db: Database, transferId: string, outcome: 'filed' | 'exists' | 'not late'): Promise<void> {
  await db.query('UPDATE late_reports SET outcome = $2 WHERE transfer_id = $1', [transferId, outcome]);
}

export async function markRaised(db: Database, key: string, alertId: string): Promise<void> {
  await db.query('UPDATE pattern_alerts SET raised = true, alert_id = $2 WHERE key = $1', [key, alertId]);
}
