// Alerts raised by rules at endorsement and by the monitor for patterns across transfers: the regulator moves them
// open → acknowledged → resolved / false positive.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { requireRole } from '../identity';
import { canonical } from '../json';
import { AlertIdInput, AlertListInput, AlertNoteInput, PatternAlertInput } from '@regchain/common';
import { parseInput } from '../validation';
import { type Alert, alertKey, alertStatusIndex, type AlertStatus, patternAlertId, saveNewAlert } from '../state/alerts';
import { type Transfer, transferKey } from '../state/transfers';
import type { Severity } from '../domain/rules';
import { type Account, accountKey } from '../state/accounts';
import { appendEntry } from '../state/credit';
import { RegchainContext, RegchainContract } from './base';

const ALERT_TRANSITIONS: Readonly<Record<'acknowledge' | 'resolve' | 'markFalsePositive', { from: readonly AlertStatus[]; to: AlertStatus }>> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  markFalsePositive: { from: ['open', 'acknowledged'], to: 'false_positive' },
};

/** A pattern's severity from its score: how far it goes past its thresholds. */
const severityOf = (score: number): Severity => (score >= 0.9 ? 'high' : score >= 0.6 ? 'medium' : 'low');

@Info({ title: 'alert', description: 'Alerts raised by compliance rules and by the monitor for patterns, and their handling by the regulator' })
export class AlertContract extends RegchainContract {
  constructor() {
    super('alert');
  }

  private async move(ctx: RegchainContext, action: keyof typeof ALERT_TRANSITIONS, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'handle alerts');
    const req = parseInput(AlertNoteInput, input, 'alert update');
    const l = ctx.ledger;
    const before = await l.mustGet<Alert>(alertKey(req.alertId), 'ALERT_NOT_FOUND', `alert ${req.alertId}`);
    const t = ALERT_TRANSITIONS[action];
    if (!t.from.includes(before.status)) {
      throw new ChaincodeError('ALERT_TRANSITION_INVALID', `an alert that is ${before.status} cannot move to ${t.to}`, { status: before.status });
    }
    const after: Alert = {
      ...before,
      status: t.to,
      notes: [...before.notes, { status: t.to, note: req.note, at: l.txTime(), by: ctx.actor }],
      lastTxId: l.txId(),
    };
    await l.put(alertKey(after.alertId), after);
    await l.del(alertStatusIndex(before.status, after.alertId));
    await l.put(alertStatusIndex(after.status, after.alertId), { alertId: after.alertId });
    // Only a pattern the regulator resolved as real after review enters credit files: the entities holding its accounts.
    if (action === 'resolve' && after.pattern) {
      await l.prefetch(after.pattern.accounts.map(accountKey));
      const entities = new Set<string>();
      for (const accountId of after.pattern.accounts) {
        const account = await l.get<Account>(accountKey(accountId));
        if (account) entities.add(account.ownerEntityId);
      }
      for (const entityId of [...entities].sort()) {
        await appendEntry(ctx, entityId, {
          kind: 'pattern_confirmed',
          summary: `${after.pattern.typology} pattern confirmed: ${req.note}`,
          source: after.alertId,
        });
      }
    }
    const type = ({ acknowledge: 'AlertAcknowledged', resolve: 'AlertResolved', markFalsePositive: 'AlertMarkedFalsePositive' } as const)[action];
    ctx.emit({ type, alertId: after.alertId, status: after.status });
    return canonical(after);
  }

  /**
   * The monitor raises a pattern alert, signed by the regulator's identity: once per pattern instance (its id comes
   * from the instance's key; the same key again is ALERT_EXISTS), with evidence that is on the ledger (every
   * transfer exists, and every account named is a party to one of them).
   */
  @Transaction()
  @Returns('string')
  async raisePattern(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'raise pattern alerts');
    const req = parseInput(PatternAlertInput, input, 'pattern alert');
    const l = ctx.ledger;
    const alertId = patternAlertId(req.key);
    await l.prefetch([alertKey(alertId), ...req.transferIds.map(transferKey)]);
    if (await l.exists(alertKey(alertId))) throw new ChaincodeError('ALERT_EXISTS', `pattern ${req.key} was already alerted, as ${alertId}`, { alertId });
    const evidence: Transfer[] = [];
    for (const id of req.transferIds) {
      const t = await l.get<Transfer>(transferKey(id));
      if (!t) throw new ChaincodeError('TRANSFER_NOT_FOUND', `evidence transfer ${id} is not on the ledger`, { transferId: id });
      evidence.push(t);
    }
    const parties = new Set(evidence.flatMap((t) => [t.from, t.to]));
    const stranger = req.accounts.find((a) => !parties.has(a));
    if (stranger) throw new ChaincodeError('VALIDATION_FAILED', `account ${stranger} is party to none of the evidence transfers`, { field: '/accounts' });
    const first = evidence[0] as Transfer;
    const alert: Alert = {
      alertId,
      ruleId: `pattern.${req.typology}`,
      ruleVersion: req.parametersVersion,
      ruleName: req.typology,
      severity: severityOf(req.score),
      transferId: first.transferId,
      payerEntityId: first.payerEntityId,
      payeeEntityId: first.payeeEntityId,
      amount: evidence.reduce((s, t) => s + t.amount, 0),
      status: 'open',
      raisedAt: l.txTime(),
      notes: [],
      lastTxId: l.txId(),
      pattern: {
        key: req.key,
        typology: req.typology,
        parametersVersion: req.parametersVersion,
        score: req.score,
        accounts: [...req.accounts].sort(),
        transferIds: [...req.transferIds],
        ...(req.conditions ? { conditions: req.conditions } : {}),
      },
    };
    await saveNewAlert(l, alert);
    await this.protect(ctx, alertKey(alertId));
    ctx.emit({ type: 'AlertRaised', alertId, ruleId: alert.ruleId, ruleVersion: alert.ruleVersion, severity: alert.severity, transferId: first.transferId });
    return canonical(alert);
  }

  @Transaction()
  @Returns('string')
  async acknowledge(ctx: RegchainContext, input: string): Promise<string> {
    return this.move(ctx, 'acknowledge', input);
  }

  @Transaction()
  @Returns('string')
  async resolve(ctx: RegchainContext, input: string): Promise<string> {
    return this.move(ctx, 'resolve', input);
  }

  @Transaction()
  @Returns('string')
  async markFalsePositive(ctx: RegchainContext, input: string): Promise<string> {
    return this.move(ctx, 'markFalsePositive', input);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor'], 'read alerts');
    const req = parseInput(AlertIdInput, input, 'alert query');
    return canonical(await ctx.ledger.mustGet<Alert>(alertKey(req.alertId), 'ALERT_NOT_FOUND', `alert ${req.alertId}`));
  }

  @Transaction(false)
  @Returns('string')
  async list(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor'], 'list alerts');
    const req = parseInput(AlertListInput, input, 'alert list');
    const l = ctx.ledger;
    const size = req.pageSize ?? 50;
    const page = req.status
      ? await l.page<{ alertId: string }>(['alertidx', req.status], size, req.bookmark ?? '')
      : await l.page<Alert>(['alert'], size, req.bookmark ?? '');
    const items: Alert[] = [];
    for (const item of page.items) {
      const alert = 'ruleId' in item ? (item as Alert) : await l.get<Alert>(alertKey(item.alertId));
      if (!alert) continue;
      if (req.ruleId && alert.ruleId !== req.ruleId) continue;
      if (req.severity && alert.severity !== req.severity) continue;
      items.push(alert);
    }
    return canonical({ items, bookmark: page.bookmark });
  }

  @Transaction(false)
  @Returns('string')
  async history(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor'], 'read alert history');
    const req = parseInput(AlertIdInput, input, 'alert history');
    const out = (await ctx.ledger.history<Alert>(alertKey(req.alertId))).map(({ txId, value }) => ({ txId, alert: value }));
    if (out.length === 0) throw new ChaincodeError('ALERT_NOT_FOUND', `alert ${req.alertId} does not exist`);
    return canonical(out);
  }
}
