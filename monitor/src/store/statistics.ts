// Statistics over the whole indexed history: the chaincode's tables (filings, alerts, pattern precision, transfers
// by project and purpose) and a day-by-day series.
import { DAY, patternPrecision } from '@regchain/common';
import type { Sql } from '@regchain/common/node';

/** Statistics over everything indexed; the same tables as the chaincode's, and a day-by-day series. */
export interface IndexStatistics {
  readonly filings: { status: string; category: string; count: number }[];
  readonly alerts: { ruleId: string; severity: string; status: string; count: number }[];
  readonly patterns: { typology: string; alerts: number; resolved: number; falsePositives: number; precision: number | null }[];
  readonly transfers: { projectId: string; purpose: string; count: number; amount: number }[];
  /** Per business day (UTC) of the last `days` up to the latest transfer: transfers executed, their sum, alerts raised. */
  readonly daily: { day: string; transfers: number; amount: number; alerts: number }[];
}

/** The statistics, with the daily series over the `days` business days up to `latest` (the latest transfer's time). */
export async function statisticsOf(db: Sql, latest: number | undefined, days: number): Promise<IndexStatistics> {
  const q = async <T>(text: string, params?: unknown[]): Promise<T[]> => (await db.query<T>(text, params)).rows;
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
  const last = Math.floor((latest ?? 0) / DAY);
  const first = last - days + 1;
  const perDay =
    latest === undefined
      ? []
      : await q<{ day: string | number; transfers: string | number; amount: string | number; alerts: string | number }>(
          `SELECT day, sum(transfers) AS transfers, sum(amount) AS amount, sum(alerts) AS alerts FROM (
           SELECT executed_at / ${DAY} AS day, count(*) AS transfers, sum(amount) AS amount, 0 AS alerts
             FROM transfers WHERE executed_at >= $1 AND executed_at < $2 GROUP BY 1
           UNION ALL
           SELECT raised_at / ${DAY}, 0, 0, count(*) FROM alerts WHERE raised_at >= $1 AND raised_at < $2 GROUP BY 1
         ) AS d GROUP BY day ORDER BY day`,
          [first * DAY, (last + 1) * DAY],
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
      day: new Date(n(r.day) * DAY * 1000).toISOString().slice(0, 10),
      transfers: n(r.transfers),
      amount: n(r.amount),
      alerts: n(r.alerts),
    })),
  };
}
