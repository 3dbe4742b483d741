// Alerts' keys: by id, and by status for the review queue.
import { createHash } from 'node:crypto';
import type { ALERT_STATUSES, PatternCondition, Typology } from '@regchain/common';
import type { Actor } from '../domain/filing';
import type { Severity } from '../domain/rules';
import { key, type Ledger } from '../ledger';

export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  readonly alertId: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly transferId: string;
  readonly payerEntityId: string;
  readonly payeeEntityId: string;
  readonly amount: number;
  readonly status: AlertStatus;
  readonly raisedAt: string;
  readonly notes: readonly { readonly status: AlertStatus; readonly note: string; readonly at: string; readonly by: Actor }[];
  readonly lastTxId: string;
  /** A pattern alert's evidence (its ruleId is pattern.<typology>). */
  readonly pattern?: {
    readonly key: string;
    readonly typology: Typology;
    readonly parametersVersion: number;
    readonly score: number;
    readonly accounts: readonly string[];
    readonly transferIds: readonly string[];
    readonly conditions?: readonly PatternCondition[];
  };
}

export const alertKey = (id: string): string => key('alert', id);

/** A pattern alert's id: from the instance's key, so the same instance is alerted once however often it is sent. */
export const patternAlertId = (instanceKey: string): string => `ALR-P-${createHash('sha256').update(instanceKey).digest('hex').slice(0, 32)}`;
export const alertStatusIndex = (status: AlertStatus, id: string): string => key('alertidx', status, id);

/** A new alert and its queue entry. */
export async function saveNewAlert(ledger: Ledger, alert: Alert): Promise<void> {
  await ledger.put(alertKey(alert.alertId), alert);
  await ledger.put(alertStatusIndex(alert.status, alert.alertId), { alertId: alert.alertId });
}
