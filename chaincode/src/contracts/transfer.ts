// Fund flows: accounts, projects with budgets by purpose, and transfers checked against every active rule.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import type { Actor } from '../domain/filing';
import { idFromTx } from '../domain/filing';
import { applyRules, blockError, type FailedRule, type FiredRule, type TransferFacts } from '../domain/rules';
import { holderFor, mayReadAccount, mayReadTransfer, requireMayAttach, requireMayMove } from '../domain/scope';
import type { Edge } from '../domain/trace';
import { ChaincodeError } from '../errors';
import { requireOwnEntity, requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import { key, paddedSeconds } from '../ledger';
import { AccountIdInput, AccountOpenInput, ProjectCreateInput, ProjectIdInput, TransferIdInput, TransferInput } from '@regchain/common';
import type { PROJECT_TYPES } from '@regchain/common';
import { parseInput } from '../validation';
import { type Alert, alertKey, alertStatusIndex } from './alert';
import { RegchainContext, RegchainContract } from './base';
import { entityFilingStatus } from './filing';
import { activeRules, isWatchlisted } from './rule';

export interface Account {
  readonly accountId: string;
  readonly ownerEntityId: string;
  readonly name: string;
  readonly projectId?: string;
  /** The bank that holds the account: only it, or the owner, moves money out. */
  readonly holderBankId: string;
  readonly openedAt: string;
  readonly openedBy: Actor;
}

export interface Project {
  readonly projectId: string;
  readonly name: string;
  readonly type: (typeof PROJECT_TYPES)[number];
  readonly ownerEntityId: string;
  /** The bank that holds the project's funds and its accounts. */
  readonly fundHolderBankId: string;
  /** Approved budget per purpose, in fen, sorted by purpose. */
  readonly budgets: readonly { readonly purpose: string; readonly amount: number }[];
  readonly createdAt: string;
  readonly createdBy: Actor;
}

export interface Transfer extends Edge {
  readonly payerEntityId: string;
  readonly payeeEntityId: string;
  readonly payerBankId: string;
  readonly payeeBankId: string;
  readonly currency: 'CNY';
  readonly reference: string;
  readonly recordedAt: string;
  readonly recordedBy: Actor;
  readonly alerts: readonly string[];
  /** Active rules whose logic failed on this transfer's facts: reported, never silently skipped. */
  readonly ruleFailures: readonly FailedRule[];
}

export const accountKey = (id: string): string => key('account', id);
export const projectKey = (id: string): string => key('project', id);
export const transferKey = (id: string): string => key('transfer', id);
const spentKey = (projectId: string, purpose: string): string => key('projectspent', projectId, purpose);
/** Edges by account and time: the indexes traces walk. */
export const flowKey = (direction: 'out' | 'in', account: string, seconds: number, transferId: string): string =>
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(seconds), transferId);
export const flowRange = (direction: 'out' | 'in', account: string, fromSeconds: number, toSeconds: number): [string, string] => [
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(fromSeconds)),
  key(direction === 'out' ? 'flowout' : 'flowin', account, paddedSeconds(toSeconds + 1)),
];
const payerKey = (entity: string, seconds: number, transferId: string): string => key('payerflow', entity, paddedSeconds(seconds), transferId);

const HOUR = 3600;
const DAY = 24 * HOUR;

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
}

/**
 * Gathers the facts of a transfer and applies the active rules. State reads: 8 point reads (2 accounts,
 * the project and its spend for this purpose, 4 watchlist entries) and 5 range reads (2 entities' filing
 * indexes, the payer's last 24 h, the payee's outflows of the last 24 h, the active rules).
 */
async function evaluate(ctx: RegchainContext, req: TransferInput, authorize: (from: Account) => void): Promise<Evaluation> {
  const l = ctx.ledger;
  if (req.fromAccount === req.toAccount) throw new ChaincodeError('TRANSFER_INVALID', 'a transfer needs two different accounts');
  const from = await l.mustGet<Account>(accountKey(req.fromAccount), 'ACCOUNT_NOT_FOUND', `account ${req.fromAccount}`);
  // Before anything else is read: a member who may not move this money learns nothing about the transfer.
  authorize(from);
  const to = await l.mustGet<Account>(accountKey(req.toAccount), 'ACCOUNT_NOT_FOUND', `account ${req.toAccount}`);
  const now = l.txSeconds();
  const violations: ChaincodeError[] = [];
  let project: Project | undefined;
  let spent = 0;
  let budget = 0;
  if (from.projectId) {
    project = await l.mustGet<Project>(projectKey(from.projectId), 'PROJECT_NOT_FOUND', `project ${from.projectId}`);
    const line = project.budgets.find((b) => b.purpose === req.purpose);
    spent = (await l.get<{ spent: number }>(spentKey(project.projectId, req.purpose)))?.spent ?? 0;
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
  const [payerStart, payerEnd] = [key('payerflow', from.ownerEntityId, paddedSeconds(now - DAY)), key('payerflow', from.ownerEntityId, paddedSeconds(now + 1))];
  const recent = await l.range<{ amount: number; time: number }>(payerStart, payerEnd);
  const lastHour = recent.filter((r) => r.value.time > now - HOUR);
  const [outStart, outEnd] = flowRange('out', to.accountId, now - DAY, now);
  const payeeOut = await l.range<Edge>(outStart, outEnd);
  const facts: TransferFacts = {
    amount: req.amount,
    currency: req.currency,
    purpose: req.purpose,
    hourOfDay: new Date((now + 8 * HOUR) * 1000).getUTCHours(),
    payer: {
      entityId: from.ownerEntityId,
      accountId: from.accountId,
      filingStatus: await entityFilingStatus(ctx, from.ownerEntityId),
      watchlisted: await isWatchlisted(ctx, 'entity', from.ownerEntityId),
      accountWatchlisted: await isWatchlisted(ctx, 'account', from.accountId),
    },
    payee: {
      entityId: to.ownerEntityId,
      accountId: to.accountId,
      filingStatus: await entityFilingStatus(ctx, to.ownerEntityId),
      watchlisted: await isWatchlisted(ctx, 'entity', to.ownerEntityId),
      accountWatchlisted: await isWatchlisted(ctx, 'account', to.accountId),
    },
    project: {
      id: project?.projectId ?? '',
      type: project?.type ?? '',
      purposeApproved: project ? project.budgets.some((b) => b.purpose === req.purpose) : false,
      budget,
      spent,
      remaining: Math.max(0, budget - spent),
    },
    window: {
      payerSum1h: lastHour.reduce((s, r) => s + r.value.amount, 0),
      payerCount1h: lastHour.length,
      payerSum24h: recent.reduce((s, r) => s + r.value.amount, 0),
      payerCount24h: recent.length,
    },
    pattern: { roundTrip: payeeOut.some((e) => e.value.to === from.accountId) },
  };
  const { fired, failed } = applyRules(await activeRules(ctx), facts);
  return { facts, fired, failed, violations, from, to, ...(project ? { project } : {}), spent };
}

/** The same answer for an account that does not exist and one the caller may not see. */
async function visibleAccount(ctx: RegchainContext, accountId: string): Promise<Account> {
  const account = await ctx.ledger.get<Account>(accountKey(accountId));
  if (!account || !mayReadAccount(ctx.caller, account)) {
    throw new ChaincodeError('ACCOUNT_NOT_FOUND', `account ${accountId} does not exist or is not visible to you`);
  }
  return account;
}

@Info({ title: 'transfer', description: 'Accounts, projects with budgets by purpose, and rule-checked transfers' })
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
      const project = await l.mustGet<Project>(projectKey(req.projectId), 'PROJECT_NOT_FOUND', `project ${req.projectId}`);
      requireMayAttach(ctx.caller, project, holderBankId, req.ownerEntityId);
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
    const project = await ctx.ledger.mustGet<Project>(projectKey(req.projectId), 'PROJECT_NOT_FOUND', `project ${req.projectId}`);
    const spent = await ctx.ledger.scan<{ spent: number }>('projectspent', req.projectId);
    const byPurpose = new Map(spent.map((s) => [s.key.split('~')[2] ?? '', s.value.spent]));
    return canonical({
      ...project,
      spending: project.budgets.map((b) => ({
        purpose: b.purpose,
        budget: b.amount,
        spent: byPurpose.get(b.purpose) ?? 0,
        remaining: b.amount - (byPurpose.get(b.purpose) ?? 0),
      })),
    });
  }

  /**
   * Records a transfer. Hard limits (project purpose, budget) and BLOCK rules fail the transaction and
   * write nothing; ALERT rules raise alerts recorded with the transfer.
   */
  @Transaction()
  @Returns('string')
  async record(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'enterprise'], 'record transfers');
    const req = parseInput(TransferInput, input, 'transfer');
    const ev = await evaluate(ctx, req, (from) => requireMayMove(ctx.caller, from, 'record transfers'));
    const violation = ev.violations[0];
    if (violation) throw violation;
    const blocked = blockError(ev.fired);
    if (blocked) throw blocked;

    const l = ctx.ledger;
    const txId = l.txId();
    const now = l.txSeconds();
    const transferId = idFromTx('TRF', txId);
    const alerting = ev.fired.filter((f) => f.action === 'ALERT');
    const alerts: Alert[] = alerting.map((f, i) => ({
      alertId: `ALR-${txId.slice(0, 24)}-${i + 1}`,
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
      time: now,
      payerEntityId: ev.from.ownerEntityId,
      payeeEntityId: ev.to.ownerEntityId,
      payerBankId: ev.from.holderBankId,
      payeeBankId: ev.to.holderBankId,
      currency: req.currency,
      reference: req.reference,
      recordedAt: l.txTime(),
      recordedBy: ctx.actor,
      alerts: alerts.map((a) => a.alertId),
      ruleFailures: ev.failed,
    };
    const edge: Edge = {
      transferId,
      from: transfer.from,
      to: transfer.to,
      amount: transfer.amount,
      purpose: transfer.purpose,
      projectId: transfer.projectId,
      time: now,
    };
    await l.put(transferKey(transferId), transfer);
    await l.put(flowKey('out', transfer.from, now, transferId), edge);
    await l.put(flowKey('in', transfer.to, now, transferId), edge);
    await l.put(payerKey(transfer.payerEntityId, now, transferId), { amount: transfer.amount, time: now });
    if (ev.project) await l.put(spentKey(ev.project.projectId, req.purpose), { spent: ev.spent + req.amount });
    for (const alert of alerts) {
      await l.put(alertKey(alert.alertId), alert);
      await l.put(alertStatusIndex(alert.status, alert.alertId), { alertId: alert.alertId });
      await this.protect(ctx, alertKey(alert.alertId));
    }
    const { time: _time, ...moved } = edge;
    ctx.emit({ type: 'TransferRecorded', ...moved });
    for (const f of ev.fired) ctx.emit({ type: 'RuleFired', ruleId: f.ruleId, version: f.version, action: f.action, severity: f.severity, transferId });
    for (const f of ev.failed) ctx.emit({ type: 'RuleFailed', ruleId: f.ruleId, version: f.version, action: f.action, error: f.error, transferId });
    for (const a of alerts)
      ctx.emit({ type: 'AlertRaised', alertId: a.alertId, ruleId: a.ruleId, ruleVersion: a.ruleVersion, severity: a.severity, transferId });
    return canonical(transfer);
  }

  /**
   * Dry run: would this transfer comply? Writes nothing. The regulator sees every rule that would fire and
   * the facts; a member learns only whether it complies and which BLOCK rule stops it, never watchlist
   * status, ALERT rules or facts: telling the watched they are watched is tipping off.
   */
  @Transaction(false)
  @Returns('string')
  async checkTransfer(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['bank', 'enterprise', 'regulator'], 'check transfers');
    const req = parseInput(TransferInput, input, 'transfer');
    const regulator = ctx.caller.role === 'regulator';
    const ev = await evaluate(ctx, req, (from) => {
      if (!regulator) requireMayMove(ctx.caller, from, 'check transfers');
    });
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
    const transfer = await ctx.ledger.get<Transfer>(transferKey(req.transferId));
    if (!transfer || !mayReadTransfer(ctx.caller, transfer)) {
      throw new ChaincodeError('TRANSFER_NOT_FOUND', `transfer ${req.transferId} does not exist or is not visible to you`);
    }
    return canonical(transfer);
  }
}
