// Fund flows: accounts, projects with budgets by purpose, and transfers checked against every active rule,
// one at a time or in batches as banks report them, each with the business time it was executed.
import {
  AccountIdInput,
  AccountOpenInput,
  Empty,
  type ErrorCode,
  ProjectCreateInput,
  ProjectIdInput,
  TransferBatchInput,
  TransferIdInput,
  TransferInput,
  TransferSettingsInput,
} from '@regchain/common';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { DAY, isoMillis } from '@regchain/common';
import { ALL_FACT_GROUPS, type FactGroup, type FactSource, factsNeeded, gatherFacts } from '../domain/facts';
import { applyRules, blockError, type FailedRule, type FiredRule, type Rule, type TransferFacts } from '../domain/rules';
import { holderFor, mayMove, mayReadAccount, mayReadProject, mayReadTransfer, requireMayAttach, transferView } from '../domain/scope';
import { ChaincodeError } from '../errors';
import { requireOwnEntity, requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import type { Ledger } from '../ledger';
import { MAX_BATCH_INPUT_BYTES, parseInput } from '../validation';
import { type Account, accountKey } from '../state/accounts';
import { type Alert, alertKey, saveNewAlert } from '../state/alerts';
import { entityFilingStatus } from '../state/filings';
import { type Project, projectKey, setSpent, spending, spentOn } from '../state/projects';
import { activeRules, isWatchlisted, watchKey } from '../state/rules';
import {
  MAX_SKEW_SECONDS,
  paid,
  payerWindow,
  saveTransfer,
  settings,
  settingsKey,
  type Transfer,
  transferExists,
  transferIdFor,
  transferKey,
} from '../state/transfers';
import { RegchainContext, RegchainContract } from './base';

interface Evaluation {
  readonly facts: TransferFacts;
  readonly fired: FiredRule[];
  readonly failed: FailedRule[];
  /** Hard limits broken regardless of rules: purpose not approved, budget exceeded. */
  readonly violations: ChaincodeError[];
  readonly from: Account;
  readonly to: Account;
  readonly project?: Project;
  readonly spent: number;
  /** Business time, seconds. */
  readonly executedAt: number;
}

/** The ledger as a source of facts; windows know what `payerWindow` knows (settled minutes and this transaction). */
function factSource(ledger: Ledger): FactSource {
  const recorded = ledger.txSeconds();
  return {
    filingStatus: (entityId) => entityFilingStatus(ledger, entityId),
    watchlisted: (kind, value) => isWatchlisted(ledger, kind, value),
    payerWindow: (entityId, executedAt) => payerWindow(ledger, entityId, executedAt, recorded),
    paid: (fromEntity, from, to, fromTime, toTime) => paid(ledger, fromEntity, from, to, fromTime, toTime, recorded),
  };
}

/**
 * Business time: not after the ledger's time plus a small skew, and not further back than the channel's
 * setting allows (30 days unless the regulator set another limit, or none on a back-test network).
 */
async function executionTime(ledger: Ledger, executedAt: string | undefined): Promise<number> {
  const now = ledger.txSeconds();
  if (executedAt === undefined) return now;
  // A real time, not one JavaScript rolls over: the 30th of February is not the 2nd of March.
  const millis = isoMillis(executedAt);
  if (millis === undefined) {
    throw new ChaincodeError('VALIDATION_FAILED', `executedAt ${executedAt}: not a real time`, { field: '/executedAt' });
  }
  const seconds = Math.floor(millis / 1000);
  if (seconds > now + MAX_SKEW_SECONDS) {
    throw new ChaincodeError(
      'TRANSFER_INVALID',
      `executedAt ${executedAt} is after the ledger's time ${ledger.txTime()} (more than ${MAX_SKEW_SECONDS} s ahead)`,
      {
        field: '/executedAt',
      },
    );
  }
  const { maxBackdateDays } = await settings(ledger);
  if (maxBackdateDays !== null && seconds < now - maxBackdateDays * DAY) {
    throw new ChaincodeError('TRANSFER_INVALID', `executedAt ${executedAt} is more than ${maxBackdateDays} days before the ledger's time`, {
      field: '/executedAt',
      maxBackdateDays,
    });
  }
  return seconds;
}

/**
 * Gathers the facts of a transfer, only the groups the rules need, and applies the rules. State reads: the two
 * accounts, for a project account the project and its spend for this purpose, the transfer settings when a
 * business time is given, the active rules; then per fact group the rules read: filing status (a range per
 * party), watchlists (4 points), the payer's window (a range per business day), round trips (a range per day).
 */
async function evaluate(
  ctx: RegchainContext,
  req: TransferInput,
  rules: readonly Rule[],
  needed: ReadonlySet<FactGroup>,
  mayUse: (from: Account) => boolean,
): Promise<Evaluation> {
  const l = ctx.ledger;
  if (req.fromAccount === req.toAccount) throw new ChaincodeError('TRANSFER_INVALID', 'a transfer needs two different accounts');
  await l.prefetch([accountKey(req.fromAccount), accountKey(req.toAccount)]);
  // Before anything else is read: to a member who may not move this money the account does not exist.
  const from = await l.mustSee<Account>(accountKey(req.fromAccount), 'ACCOUNT_NOT_FOUND', `account ${req.fromAccount}`, mayUse);
  const to = await l.mustGet<Account>(accountKey(req.toAccount), 'ACCOUNT_NOT_FOUND', `account ${req.toAccount}`);
  const executedAt = await executionTime(l, req.executedAt);
  const violations: ChaincodeError[] = [];
  let project: Project | undefined;
  let spent = 0;
  let budget = 0;
  if (from.projectId) {
    project = await l.mustGet<Project>(projectKey(from.projectId), 'PROJECT_NOT_FOUND', `project ${from.projectId}`);
    const line = project.budgets.find((b) => b.purpose === req.purpose);
    spent = await spentOn(l, project.projectId, req.purpose);
    budget = line?.amount ?? 0;
    if (!line) {
      violations.push(
        new ChaincodeError('PURPOSE_NOT_APPROVED', `project ${project.projectId} has no approved budget for purpose ${req.purpose}`, {
          approved: project.budgets.map((b) => b.purpose),
        }),
      );
    } else if (spent + req.amount > line.amount) {
      violations.push(
        new ChaincodeError('BUDGET_EXCEEDED', `project ${project.projectId} has ${line.amount - spent} fen left for ${req.purpose}; ${req.amount} requested`, {
          budget: line.amount,
          spent,
          requested: req.amount,
        }),
      );
    }
  }
  if (needed.has('watchlist')) {
    await l.prefetch([
      watchKey('entity', from.ownerEntityId),
      watchKey('account', from.accountId),
      watchKey('entity', to.ownerEntityId),
      watchKey('account', to.accountId),
    ]);
  }
  const facts = await gatherFacts(
    {
      amount: req.amount,
      currency: req.currency,
      purpose: req.purpose,
      executedAt,
      payer: { entityId: from.ownerEntityId, accountId: from.accountId },
      payee: { entityId: to.ownerEntityId, accountId: to.accountId },
      project: {
        id: project?.projectId ?? '',
        type: project?.type ?? '',
        purposeApproved: project ? project.budgets.some((b) => b.purpose === req.purpose) : false,
        budget,
        spent,
      },
    },
    needed,
    factSource(l),
  );
  const { fired, failed } = applyRules(rules, facts);
  return { facts, fired, failed, violations, from, to, ...(project ? { project } : {}), spent, executedAt };
}

/** The same answer for an account that does not exist and one the caller may not see. */
async function visibleAccount(ctx: RegchainContext, accountId: string): Promise<Account> {
  return ctx.ledger.mustSee<Account>(accountKey(accountId), 'ACCOUNT_NOT_FOUND', `account ${accountId}`, (a) => mayReadAccount(ctx.caller, a));
}

/** A project the caller may see; one it may not answers as a missing one. */
async function visibleProject(ctx: RegchainContext, projectId: string): Promise<Project> {
  return ctx.ledger.mustSee<Project>(projectKey(projectId), 'PROJECT_NOT_FOUND', `project ${projectId}`, (p) => mayReadProject(ctx.caller, p));
}

/** A batch item that failed: its index, the code and the reason. */
interface ItemFailure {
  readonly index: number;
  readonly status: 'failed';
  readonly code: ErrorCode;
  readonly message: string;
}

@Info({ title: 'transfer', description: 'Accounts, projects with budgets by purpose, and rule-checked transfers, one by one or in batches' })
export class TransferContract extends RegchainContract {
  constructor() {
    super('transfer');
  }

  /**
   * A bank opens accounts it holds, for any customer; an enterprise opens its own, naming its bank; the
   * regulator names both. A project account is opened by the project's owner, its fund-holding bank or the
   * regulator, and is held at that bank.
   */
  @Transaction()
  @Returns('string')
  async openAccount(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'regulator', 'enterprise'], 'open accounts');
    const req = parseInput(AccountOpenInput, input, 'account');
    requireOwnEntity(ctx.caller, req.ownerEntityId, 'open an account');
    const holderBankId = holderFor(ctx.caller, req.holderBankId, '/holderBankId', 'open accounts');
    const l = ctx.ledger;
    if (req.projectId) {
      requireMayAttach(await visibleProject(ctx, req.projectId), holderBankId, req.ownerEntityId);
    }
    if (await l.exists(accountKey(req.accountId))) throw new ChaincodeError('ACCOUNT_EXISTS', `account ${req.accountId} already exists`);
    const account: Account = {
      accountId: req.accountId,
      ownerEntityId: req.ownerEntityId,
      name: req.name,
      ...(req.projectId ? { projectId: req.projectId } : {}),
      holderBankId,
      openedAt: l.txTime(),
      openedBy: ctx.actor,
    };
    await l.put(accountKey(account.accountId), account);
    ctx.emit({ type: 'AccountOpened', accountId: account.accountId, ownerEntityId: account.ownerEntityId });
    return canonical(account);
  }

  @Transaction(false)
  @Returns('string')
  async getAccount(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read accounts');
    const req = parseInput(AccountIdInput, input, 'account query');
    return canonical(await visibleAccount(ctx, req.accountId));
  }

  /** Public funds, donations and supply-chain finance are set up by the regulator or a fund-holding bank. */
  @Transaction()
  @Returns('string')
  async createProject(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'bank'], 'create projects');
    const req = parseInput(ProjectCreateInput, input, 'project');
    const fundHolderBankId = holderFor(ctx.caller, req.fundHolderBankId, '/fundHolderBankId', 'create projects');
    const l = ctx.ledger;
    if (await l.exists(projectKey(req.projectId))) throw new ChaincodeError('PROJECT_EXISTS', `project ${req.projectId} already exists`);
    const purposes = req.budgets.map((b) => b.purpose);
    if (new Set(purposes).size !== purposes.length) {
      throw new ChaincodeError('VALIDATION_FAILED', 'project: budgets name a purpose twice', { field: '/budgets' });
    }
    const project: Project = {
      projectId: req.projectId,
      name: req.name,
      type: req.type,
      ownerEntityId: req.ownerEntityId,
      fundHolderBankId,
      budgets: [...req.budgets].sort((a, b) => (a.purpose < b.purpose ? -1 : 1)),
      createdAt: l.txTime(),
      createdBy: ctx.actor,
    };
    await l.put(projectKey(project.projectId), project);
    ctx.emit({ type: 'ProjectCreated', projectId: project.projectId, projectType: project.type });
    return canonical(project);
  }

  @Transaction(false)
  @Returns('string')
  async getProject(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read projects');
    const req = parseInput(ProjectIdInput, input, 'project query');
    const project = await visibleProject(ctx, req.projectId);
    return canonical({ ...project, spending: await spending(ctx.ledger, project) });
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
