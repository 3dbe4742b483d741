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
 * covers it. To anyone else the account answers as a missing one.
 */
export function mayMove(who: Caller, account: HeldAccount): boolean {
  return (who.role === 'bank' && account.holderBankId === who.entityId) || (who.role === 'enterprise' && account.ownerEntityId === who.entityId);
}

const supervisor = (who: Caller): boolean => who.role === 'regulator' || who.role === 'auditor';

/** Regulators and auditors see every account; a bank the accounts it holds; an enterprise its own. */
export function mayReadAccount(who: Caller, account: HeldAccount): boolean {
  if (supervisor(who)) return true;
  if (who.role === 'bank') return account.holderBankId === who.entityId;
  return account.ownerEntityId === who.entityId;
}

/** A transfer is seen by the regulator and auditors, and by the entities and banks on either side of it. */
export function mayReadTransfer(who: Caller, t: PartiesOf): boolean {
  if (supervisor(who)) return true;
  return payerSide(who, t) || payeeSide(who, t);
}

const payerSide = (who: Caller, t: PartiesOf): boolean => (who.role === 'bank' ? t.payerBankId : t.payerEntityId) === who.entityId;
const payeeSide = (who: Caller, t: PartiesOf): boolean => (who.role === 'bank' ? t.payeeBankId : t.payeeEntityId) === who.entityId;

/** What a transfer record tells: the rules' verdicts on it, and who is on each side. */
export interface TransferFacts extends PartiesOf {
  readonly alerts: readonly string[];
  readonly ruleFailures: readonly { readonly action: string }[];
  readonly recordedBy: { readonly entityId: string };
}

/**
 * A transfer as its reader may see it. The regulator and auditors see everything; a member never sees the
 * alerts it raised or the ALERT rules that failed on it (telling the watched they are watched is tipping off),
 * nor the other side's owner, bank or reporter: only the account it paid or was paid from.
 */
export function transferView<T extends TransferFacts>(who: Caller, t: T): T | Omit<T, 'alerts'> {
  if (supervisor(who)) return t;
  const { alerts: _alerts, ...rest } = t;
  const hidden = new Set<string>([
    ...(payerSide(who, t) ? [] : ['payerEntityId', 'payerBankId']),
    ...(payeeSide(who, t) ? [] : ['payeeEntityId', 'payeeBankId']),
    ...(t.recordedBy.entityId === who.entityId ? [] : ['recordedBy']),
  ]);
  const view = Object.fromEntries(Object.entries(rest).filter(([k]) => !hidden.has(k)));
  return { ...view, ruleFailures: t.ruleFailures.filter((f) => f.action === 'BLOCK') } as unknown as Omit<T, 'alerts'>;
}

/** A project is seen by the regulator and auditors, its fund-holding bank and its owner. */
export function mayReadProject(who: Caller, project: FundedProject): boolean {
  if (supervisor(who)) return true;
  return who.role === 'bank' ? project.fundHolderBankId === who.entityId : project.ownerEntityId === who.entityId;
}

/**
 * Accounts are attached to a project (one the caller may read: the regulator, its owner or its fund-holding
 * bank, as the caller's read of it decided) only for its owner and at that bank.
 */
export function requireMayAttach(project: FundedProject, holderBankId: string, ownerEntityId: string): void {
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
