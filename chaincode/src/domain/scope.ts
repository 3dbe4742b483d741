// Need to know by entity: which accounts, projects and transfers a member may act on or see. Plain functions over plain data.
import { ChaincodeError } from '../errors';
import type { Caller } from '../identity';

/** What scope needs to know of an account: who owns it and which bank holds it. */
export interface HeldAccount {
  readonly accountId: string;
  readonly ownerEntityId: string;
  readonly holderBankId: string;
}

/** What scope needs to know of a project: its owner and the bank that holds its funds. */
export interface FundedProject {
  readonly projectId: string;
  readonly ownerEntityId: string;
  readonly fundHolderBankId: string;
}

export interface PartiesOf {
  readonly payerEntityId: string;
  readonly payeeEntityId: string;
  readonly payerBankId: string;
  readonly payeeBankId: string;
}

/**
 * Money leaves an account only on the word of the bank that holds it or the entity that owns it; a
 * project account belongs to the project's owner and is held at its fund-holding bank, so the same test
 * covers it. The refusal names neither the owner nor the holder.
 */
export function requireMayMove(who: Caller, account: HeldAccount, action: string): void {
  const allowed = (who.role === 'bank' && account.holderBankId === who.entityId) || (who.role === 'enterprise' && account.ownerEntityId === who.entityId);
  if (!allowed) {
    throw new ChaincodeError(
      'ACCESS_DENIED',
      `${who.role} ${who.entityId} may not ${action} from account ${account.accountId}: it is not an account you hold or own`,
      {
        role: who.role,
        action,
      },
    );
  }
}

/** Regulators and auditors see every account; a bank the accounts it holds; an enterprise its own. */
export function mayReadAccount(who: Caller, account: HeldAccount): boolean {
  if (who.role === 'regulator' || who.role === 'auditor') return true;
  if (who.role === 'bank') return account.holderBankId === who.entityId;
  return account.ownerEntityId === who.entityId;
}

/** A transfer is seen by the regulator and auditors, and by the entities and banks on either side of it. */
export function mayReadTransfer(who: Caller, t: PartiesOf): boolean {
  if (who.role === 'regulator' || who.role === 'auditor') return true;
  if (who.role === 'bank') return t.payerBankId === who.entityId || t.payeeBankId === who.entityId;
  return t.payerEntityId === who.entityId || t.payeeEntityId === who.entityId;
}

/** Accounts are attached to a project by its owner, its fund-holding bank or the regulator, and only at that bank. */
export function requireMayAttach(who: Caller, project: FundedProject, holderBankId: string, ownerEntityId: string): void {
  const byRole =
    who.role === 'regulator' ||
    (who.role === 'bank' && project.fundHolderBankId === who.entityId) ||
    (who.role === 'enterprise' && project.ownerEntityId === who.entityId);
  if (!byRole) {
    throw new ChaincodeError('ACCESS_DENIED', `${who.role} ${who.entityId} may not open accounts for project ${project.projectId}`, {
      role: who.role,
      action: 'open project accounts',
    });
  }
  if (ownerEntityId !== project.ownerEntityId) {
    throw new ChaincodeError('VALIDATION_FAILED', `account: a project account must belong to the project's owner ${project.ownerEntityId}`, {
      field: '/ownerEntityId',
    });
  }
  if (holderBankId !== project.fundHolderBankId) {
    throw new ChaincodeError('VALIDATION_FAILED', `account: a project account must be held at the project's fund-holding bank ${project.fundHolderBankId}`, {
      field: '/holderBankId',
    });
  }
}

/**
 * The bank that will hold a new account or project's funds: a bank names itself (or nothing), everyone
 * else must name the bank.
 */
export function holderFor(who: Caller, requested: string | undefined, field: string, what: string): string {
  if (who.role === 'bank') {
    if (requested !== undefined && requested !== who.entityId) {
      throw new ChaincodeError('ACCESS_DENIED', `bank ${who.entityId} may not ${what} held at another bank`, { role: who.role, action: what });
    }
    return who.entityId;
  }
  if (requested === undefined) throw new ChaincodeError('VALIDATION_FAILED', `${field.slice(1)}: name the bank that holds it`, { field });
  return requested;
}
