// Accounts: opened by the bank that holds them, the owner naming its bank, or the regulator; read by those
// who may see them (one they may not answers as a missing one).
import { AccountIdInput, AccountOpenInput } from '@regchain/common';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { holderFor, mayReadAccount, requireMayAttach } from '../domain/scope';
import { ChaincodeError } from '../errors';
import { requireOwnEntity, requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import { parseInput } from '../validation';
import { type Account, accountKey } from '../state/accounts';
import { RegchainContext, RegchainContract } from './base';
import { visibleProject } from './project';

/** The same answer for an account that does not exist and one the caller may not see. */
export async function visibleAccount(ctx: RegchainContext, accountId: string): Promise<Account> {
  return ctx.ledger.mustSee<Account>(accountKey(accountId), 'ACCOUNT_NOT_FOUND', `account ${accountId}`, (a) => mayReadAccount(ctx.caller, a));
}

/**
 * A bank opens accounts it holds, for any customer; an enterprise opens its own, naming its bank; the
 * regulator names both. A project account is opened by the project's owner, its fund-holding bank or the
 * regulator, and is held at that bank.
 */
export async function openAccount(ctx: RegchainContext, input: string): Promise<string> {
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

export async function getAccount(ctx: RegchainContext, input: string): Promise<string> {
  requireRole(ctx.caller, ROLES, 'read accounts');
  const req = parseInput(AccountIdInput, input, 'account query');
  return canonical(await visibleAccount(ctx, req.accountId));
}

@Info({ title: 'account', description: 'Accounts and the banks that hold them' })
export class AccountContract extends RegchainContract {
  constructor() {
    super('account');
  }

  @Transaction()
  @Returns('string')
  async open(ctx: RegchainContext, input: string): Promise<string> {
    return openAccount(ctx, input);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    return getAccount(ctx, input);
  }
}
