// Accounts' keys: one record per account.
import type { Actor } from '../domain/filing';
import { key } from '../ledger';

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

export const accountKey = (id: string): string => key('account', id);
