// Which screens each role sees: what a role may not do is not shown to it (the gateway refuses it anyway).
import type { Role } from '@regchain/common/src/roles';

export interface Screen {
  readonly id: string;
  readonly roles: readonly Role[];
}

export const SCREENS: readonly Screen[] = [
  { id: 'monitor', roles: ['regulator', 'auditor'] },
  { id: 'alerts', roles: ['regulator', 'auditor'] },
  { id: 'filings', roles: ['regulator', 'auditor', 'enterprise'] },
  { id: 'rules', roles: ['regulator'] },
  { id: 'statistics', roles: ['regulator', 'auditor'] },
  { id: 'flows', roles: ['regulator', 'auditor', 'bank'] },
  { id: 'transfers', roles: ['bank', 'enterprise', 'regulator'] },
  { id: 'audit', roles: ['regulator', 'auditor'] },
  { id: 'network', roles: ['regulator', 'auditor'] },
  { id: 'lookup', roles: ['regulator', 'auditor', 'bank', 'enterprise'] },
];

export const screensFor = (role: Role): Screen[] => SCREENS.filter((s) => s.roles.includes(role));

/** The screen a role lands on after signing in. */
export const homeOf = (role: Role): string => (screensFor(role)[0] as Screen).id;

/** Actions inside screens, by role: the buttons a role is shown. */
export const MAY = {
  reviewFilings: (r: Role) => r === 'regulator',
  submitFilings: (r: Role) => r === 'enterprise',
  moveAlerts: (r: Role) => r === 'regulator',
  publishRules: (r: Role) => r === 'regulator',
  recordTransfers: (r: Role) => r === 'bank' || r === 'enterprise',
  openAccounts: (r: Role) => r !== 'auditor',
  createProjects: (r: Role) => r === 'regulator' || r === 'bank',
  indexSource: (r: Role) => r !== 'enterprise',
} as const;
