// What a transfer is checked against before it is recorded (or in a dry run): its business time, the facts the
// active rules need, the rules' verdicts, and the hard limits (purpose approved, budget) no rule can lift.
import { DAY, isoMillis, type TransferInput } from '@regchain/common';
import { type FactGroup, type FactSource, gatherFacts } from '../domain/facts';
import { applyRules, type FailedRule, type FiredRule, type Rule, type TransferFacts } from '../domain/rules';
import { ChaincodeError } from '../errors';
import type { Ledger } from '../ledger';
import { type Account, accountKey } from '../state/accounts';
import { gradeNow } from '../state/credit';
import { entityFilingStatus } from '../state/filings';
import { type Project, projectKey, spentOn } from '../state/projects';
import { isWatchlisted, watchKey } from '../state/rules';
import { MAX_SKEW_SECONDS, paid, payerWindow, settings } from '../state/transfers';
import type { RegchainContext } from './base';

export interface Evaluation {
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
    creditGrade: async (entityId) => (await gradeNow(ledger, entityId)).grade,
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
export async function evaluate(
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
