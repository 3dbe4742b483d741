// Transfers checked against every active rule, one at a time or in batches as banks report them, each with the
// business time it was executed. Accounts and projects have their own contracts (./account, ./project).
import { Empty, type ErrorCode, TransferBatchInput, TransferIdInput, TransferInput, TransferSettingsInput } from '@regchain/common';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { ALL_FACT_GROUPS, type FactGroup, factsNeeded } from '../domain/facts';
import { blockError, type Rule } from '../domain/rules';
import { mayMove, mayReadTransfer, transferView } from '../domain/scope';
import { ChaincodeError } from '../errors';
import { requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import { MAX_BATCH_INPUT_BYTES, parseInput } from '../validation';
import { accountKey } from '../state/accounts';
import { type Alert, alertKey, saveNewAlert } from '../state/alerts';
import { setSpent } from '../state/projects';
import { activeRules } from '../state/rules';
import { saveTransfer, settings, settingsKey, type Transfer, transferExists, transferIdFor, transferKey } from '../state/transfers';
import { getAccount, openAccount } from './account';
import { evaluate } from './evaluation';
import { createProject, getProject } from './project';
import { RegchainContext, RegchainContract } from './base';

/** A batch item that failed: its index, the code and the reason. */
interface ItemFailure {
  readonly index: number;
  readonly status: 'failed';
  readonly code: ErrorCode;
  readonly message: string;
}

@Info({ title: 'transfer', description: 'Rule-checked transfers, one by one or in batches, and the settings they are recorded under' })
export class TransferContract extends RegchainContract {
  constructor() {
    super('transfer');
  }

  /** Kept for one release: the account contract's account:open. */
  @Transaction()
  @Returns('string')
  async openAccount(ctx: RegchainContext, input: string): Promise<string> {
    return openAccount(ctx, input);
  }

  /** Kept for one release: the account contract's account:get. */
  @Transaction(false)
  @Returns('string')
  async getAccount(ctx: RegchainContext, input: string): Promise<string> {
    return getAccount(ctx, input);
  }

  /** Kept for one release: the project contract's project:create. */
  @Transaction()
  @Returns('string')
  async createProject(ctx: RegchainContext, input: string): Promise<string> {
    return createProject(ctx, input);
  }

  /** Kept for one release: the project contract's project:get. */
  @Transaction(false)
  @Returns('string')
  async getProject(ctx: RegchainContext, input: string): Promise<string> {
    return getProject(ctx, input);
  }

  /**
   * Records one transfer: hard limits (business time, project purpose, budget, a reference already used) and
   * BLOCK rules fail it and write nothing; ALERT rules raise alerts recorded with the transfer. `seq` tells the
   * items of a batch apart (their ids derive from the transaction id and it).
   */
  private async recordOne(ctx: RegchainContext, req: TransferInput, rules: readonly Rule[], needed: ReadonlySet<FactGroup>, seq: number): Promise<Transfer> {
    const l = ctx.ledger;
    const txId = l.txId();
    const transferId = transferIdFor(ctx.caller.entityId, req.reference, txId, seq);
    await l.prefetch([...(req.reference ? [transferKey(transferId)] : []), accountKey(req.fromAccount), accountKey(req.toAccount)]);
    if (req.reference && (await transferExists(l, transferId))) {
      throw new ChaincodeError('TRANSFER_DUPLICATE', `reference ${req.reference} was already reported, as transfer ${transferId}`, { transferId });
    }
    const ev = await evaluate(ctx, req, rules, needed, (from) => mayMove(ctx.caller, from));
    const violation = ev.violations[0];
    if (violation) throw violation;
    const blocked = blockError(ev.fired);
    if (blocked) throw blocked;

    const alertBase = `ALR-${txId.slice(0, 24)}${seq === 0 ? '' : `-${seq}`}`;
    const alerts: Alert[] = ev.fired
      .filter((f) => f.action === 'ALERT')
      .map((f, i) => ({
        alertId: `${alertBase}-${i + 1}`,
        ruleId: f.ruleId,
        ruleVersion: f.version,
        ruleName: f.name,
        severity: f.severity,
        transferId,
        payerEntityId: ev.from.ownerEntityId,
        payeeEntityId: ev.to.ownerEntityId,
        amount: req.amount,
        status: 'open',
        raisedAt: l.txTime(),
        notes: [],
        lastTxId: txId,
      }));
    const transfer: Transfer = {
      transferId,
      from: ev.from.accountId,
      to: ev.to.accountId,
      amount: req.amount,
      purpose: req.purpose,
      projectId: ev.project?.projectId ?? '',
      time: ev.executedAt,
      payerEntityId: ev.from.ownerEntityId,
      payeeEntityId: ev.to.ownerEntityId,
      payerBankId: ev.from.holderBankId,
      payeeBankId: ev.to.holderBankId,
      currency: req.currency,
      reference: req.reference,
      executedAt: new Date(ev.executedAt * 1000).toISOString(),
      recordedAt: l.txTime(),
      recordedBy: ctx.actor,
      alerts: alerts.map((a) => a.alertId),
      ruleFailures: ev.failed,
    };
    await saveTransfer(l, transfer, l.txSeconds());
    if (ev.project) await setSpent(l, ev.project.projectId, req.purpose, ev.spent + req.amount);
    for (const alert of alerts) {
      await saveNewAlert(l, alert);
      await this.protect(ctx, alertKey(alert.alertId));
    }
    const { transferId: id, from, to, amount, purpose, projectId, executedAt } = transfer;
    ctx.emit({ type: 'TransferRecorded', transferId: id, from, to, amount, purpose, projectId, executedAt });
    for (const f of ev.fired) ctx.emit({ type: 'RuleFired', ruleId: f.ruleId, version: f.version, action: f.action, severity: f.severity, transferId });
    for (const f of ev.failed) ctx.emit({ type: 'RuleFailed', ruleId: f.ruleId, version: f.version, action: f.action, error: f.error, transferId });
    for (const a of alerts)
      ctx.emit({ type: 'AlertRaised', alertId: a.alertId, ruleId: a.ruleId, ruleVersion: a.ruleVersion, severity: a.severity, transferId });
    return transfer;
  }

  /** The active rules and the fact groups they read, once per transaction. */
  private async ruleSet(ctx: RegchainContext): Promise<{ rules: Rule[]; needed: Set<FactGroup> }> {
    const rules = await activeRules(ctx.ledger);
    return { rules, needed: factsNeeded(rules) };
  }

  @Transaction()
  @Returns('string')
  async record(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'enterprise'], 'record transfers');
    const req = parseInput(TransferInput, input, 'transfer');
    const { rules, needed } = await this.ruleSet(ctx);
    return canonical(transferView(ctx.caller, await this.recordOne(ctx, req, rules, needed, 0)));
  }

  /**
   * Records up to 500 transfers in one transaction, each checked as if recorded after the ones before it (the
   * batch sees its own budgets spent and its own window entries). Atomic (default): the first failure fails
   * the whole batch, naming the item's index and reason. Partial: valid items are recorded, each failing one
   * leaves nothing behind, and every item gets a result.
   */
  @Transaction()
  @Returns('string')
  async recordBatch(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'enterprise'], 'record transfers');
    const req = parseInput(TransferBatchInput, input, 'transfer batch', MAX_BATCH_INPUT_BYTES);
    const partial = req.mode === 'partial';
    const { rules, needed } = await this.ruleSet(ctx);
    // What every item reads first, read ahead in one message: its reference's record and its two accounts.
    const txId = ctx.ledger.txId();
    await ctx.ledger.prefetch(
      req.items.flatMap((item, index) => [
        ...(item.reference ? [transferKey(transferIdFor(ctx.caller.entityId, item.reference, txId, index + 1))] : []),
        accountKey(item.fromAccount),
        accountKey(item.toAccount),
      ]),
    );
    const references = new Set<string>();
    const results: ({ index: number; status: 'recorded'; transferId: string } | ItemFailure)[] = [];
    for (const [index, item] of req.items.entries()) {
      const events = ctx.events.length;
      ctx.ledger.begin();
      try {
        if (item.reference && references.has(item.reference)) {
          throw new ChaincodeError('TRANSFER_DUPLICATE', `reference ${item.reference} appears twice in the batch`);
        }
        const t = await this.recordOne(ctx, item, rules, needed, index + 1);
        if (item.reference) references.add(item.reference);
        ctx.ledger.commit();
        results.push({ index, status: 'recorded', transferId: t.transferId });
      } catch (err) {
        ctx.ledger.rollback();
        ctx.events.splice(events);
        if (!(err instanceof ChaincodeError)) throw err;
        if (!partial) throw new ChaincodeError(err.code, `item ${index}: ${err.sentence}`, { ...err.details, index });
        results.push({ index, status: 'failed', code: err.code, message: err.sentence });
      }
    }
    const recorded = results.filter((r) => r.status === 'recorded').length;
    return canonical({ recorded, failed: results.length - recorded, results });
  }

  /** The regulator sets how far back a transfer's business time may lie (null: any, for a back-test network). */
  @Transaction()
  @Returns('string')
  async configure(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'configure transfers');
    const req = parseInput(TransferSettingsInput, input, 'transfer settings');
    // Its key-level policy is set once, with the key (see RuleContract.store).
    const existed = await ctx.ledger.exists(settingsKey());
    await ctx.ledger.put(settingsKey(), req);
    if (!existed) await this.protect(ctx, settingsKey());
    ctx.emit({ type: 'TransferSettingsChanged', maxBackdateDays: req.maxBackdateDays });
    return canonical(req);
  }

  @Transaction(false)
  @Returns('string')
  async settings(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read transfer settings');
    parseInput(Empty, input, 'transfer settings query');
    return canonical(await settings(ctx.ledger));
  }

  /**
   * Dry run: would this transfer comply? Writes nothing. The regulator sees every rule that would fire and
   * every fact; a member learns only whether it complies and which BLOCK rule stops it, never watchlist
   * status, ALERT rules or facts: telling the watched they are watched is tipping off.
   */
  @Transaction(false)
  @Returns('string')
  async checkTransfer(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'enterprise', 'regulator'], 'check transfers');
    const req = parseInput(TransferInput, input, 'transfer');
    const regulator = ctx.caller.role === 'regulator';
    const { rules, needed } = await this.ruleSet(ctx);
    const ev = await evaluate(ctx, req, rules, regulator ? new Set(ALL_FACT_GROUPS) : needed, (from) => regulator || mayMove(ctx.caller, from));
    const blocking = ev.fired.filter((f) => f.action === 'BLOCK');
    const verdict = {
      compliant: blocking.length === 0 && ev.violations.length === 0,
      violations: ev.violations.map((v) => ({ code: v.code, message: v.message })),
      blockedBy: blocking.map((f) => ({ ruleId: f.ruleId, version: f.version, name: f.name })),
    };
    return canonical(regulator ? { ...verdict, fired: ev.fired, failed: ev.failed, facts: ev.facts } : verdict);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read transfers');
    const req = parseInput(TransferIdInput, input, 'transfer query');
    const transfer = await ctx.ledger.mustSee<Transfer>(transferKey(req.transferId), 'TRANSFER_NOT_FOUND', `transfer ${req.transferId}`, (t) =>
      mayReadTransfer(ctx.caller, t),
    );
    return canonical(transferView(ctx.caller, transfer));
  }
}
