// Projects' keys, and the one aggregate transfers write: a project's spend per purpose, which its budget
// line needs (spending against one budget line must serialise).
import type { PROJECT_TYPES } from '@regchain/common';
import type { Actor } from '../domain/filing';
import { key, type Ledger } from '../ledger';

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

export const projectKey = (id: string): string => key('project', id);
const spentKey = (projectId: string, purpose: string): string => key('projectspent', projectId, purpose);

export async function spentOn(ledger: Ledger, projectId: string, purpose: string): Promise<number> {
  return (await ledger.get<{ spent: number }>(spentKey(projectId, purpose)))?.spent ?? 0;
}

export async function setSpent(ledger: Ledger, projectId: string, purpose: string, spent: number): Promise<void> {
  await ledger.put(spentKey(projectId, purpose), { spent });
}

/** Budget, spent and remaining per purpose. */
export async function spending(ledger: Ledger, project: Project): Promise<{ purpose: string; budget: number; spent: number; remaining: number }[]> {
  const spent = await ledger.scan<{ spent: number }>('projectspent', project.projectId);
  const byPurpose = new Map(spent.map((s) => [s.key.split('~')[2] ?? '', s.value.spent]));
  return project.budgets.map((b) => ({
    purpose: b.purpose,
    budget: b.amount,
    spent: byPurpose.get(b.purpose) ?? 0,
    remaining: b.amount - (byPurpose.get(b.purpose) ?? 0),
  }));
}
