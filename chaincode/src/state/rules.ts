// Rules' and watchlists' keys: every version, the active set (one range), entries by kind and value.
import type { Rule } from '../domain/rules';
import { key, type Ledger } from '../ledger';

export const ruleKey = (id: string): string => key('rule', id);
export const versionKey = (id: string, version: number): string => key('rulever', id, String(version).padStart(6, '0'));
export const activeRuleKey = (id: string): string => key('ruleactive', id);
export const watchKey = (kind: string, value: string): string => key('watch', kind, value);

export interface WatchlistEntry {
  readonly kind: 'entity' | 'account';
  readonly value: string;
  readonly reason: string;
  readonly active: boolean;
  readonly addedAt: string;
  readonly updatedAt: string;
  readonly note?: string;
  readonly lastTxId: string;
}

/** The active rules, read in one range scan (phantom-checked at commit, so a concurrent publish conflicts). */
export async function activeRules(ledger: Ledger): Promise<Rule[]> {
  return (await ledger.scan<Rule>('ruleactive')).map((r) => r.value);
}

export async function isWatchlisted(ledger: Ledger, kind: 'entity' | 'account', value: string): Promise<boolean> {
  return Boolean((await ledger.get<WatchlistEntry>(watchKey(kind, value)))?.active);
}

/** The typology parameters in force: one key, written only by the regulator (rarely), never on a transfer's path. */
export const typologiesKey = (): string => key('typologies', 'current');
