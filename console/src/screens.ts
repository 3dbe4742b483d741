// Which screens each role sees: what a role may not do is not shown to it (the gateway refuses it anyway). Each
// screen names the API routes it reads; a unit test holds these to the gateway's own route roles.
import type { Role } from '@regchain/common';

export interface Screen {
  readonly id: string;
  readonly roles: readonly Role[];
  /** The routes the screen reads to show anything, as "METHOD /path". */
  readonly reads: readonly string[];
}

export const SCREENS: readonly Screen[] = [
  { id: 'events', roles: ['regulator', 'auditor'], reads: ['GET /v1/events'] },
  { id: 'alerts', roles: ['regulator', 'auditor'], reads: ['GET /v1/alerts', 'GET /v1/alerts/:alertId', 'GET /v1/alerts/:alertId/history'] },
  {
    id: 'filings',
    roles: ['regulator', 'auditor', 'enterprise'],
    reads: ['GET /v1/filings', 'GET /v1/filings/:filingId', 'GET /v1/filings/:filingId/history'],
  },
  { id: 'rules', roles: ['regulator'], reads: ['GET /v1/rules', 'GET /v1/watchlist', 'POST /v1/transfers/check'] },
  { id: 'statistics', roles: ['regulator', 'auditor'], reads: ['GET /v1/statistics'] },
  {
    id: 'trace',
    roles: ['regulator', 'auditor', 'bank'],
    reads: ['GET /v1/traces', 'GET /v1/transfers/:transferId', 'GET /v1/projects/:projectId', 'GET /v1/projects/:projectId/flows'],
  },
  {
    id: 'transfers',
    roles: ['bank', 'enterprise', 'regulator'],
    reads: ['POST /v1/transfers/check', 'GET /v1/accounts/:accountId', 'GET /v1/transfers/:transferId'],
  },
  { id: 'audit', roles: ['regulator', 'auditor'], reads: ['GET /v1/audit/transactions/:transactionId', 'POST /v1/audit/verifications'] },
  { id: 'network', roles: ['regulator', 'auditor'], reads: ['GET /v1/network/nodes', 'GET /v1/network/chaincode', 'GET /v1/network/blocks'] },
  { id: 'credit', roles: ['regulator', 'auditor', 'enterprise', 'bank'], reads: ['GET /v1/credit/entities/:entityId/file'] },
  { id: 'lookup', roles: ['regulator', 'auditor', 'bank', 'enterprise'], reads: ['GET /v1/public/filings/:filingNumber'] },
  { id: 'creditLookup', roles: ['regulator', 'auditor', 'bank', 'enterprise'], reads: ['GET /v1/public/credit/:entityId'] },
];

export const screensFor = (role: Role): Screen[] => SCREENS.filter((s) => s.roles.includes(role));

/** The screen a role lands on after signing in. */
export const homeOf = (role: Role): string => (screensFor(role)[0] as Screen).id;

/** Actions inside screens, by role, with the route each one calls: the buttons a role is shown. */
export const MAY = {
  reviewFilings: { route: 'POST /v1/filings/:filingId/approve', may: (r: Role) => r === 'regulator' },
  submitFilings: { route: 'POST /v1/filings', may: (r: Role) => r === 'enterprise' },
  moveAlerts: { route: 'POST /v1/alerts/:alertId/acknowledge', may: (r: Role) => r === 'regulator' },
  publishRules: { route: 'POST /v1/rules', may: (r: Role) => r === 'regulator' },
  recordTransfers: { route: 'POST /v1/transfers/uploads', may: (r: Role) => r === 'bank' || r === 'enterprise' },
  openAccounts: { route: 'POST /v1/accounts', may: (r: Role) => r !== 'auditor' },
  counterparties: { route: 'GET /v1/accounts/:accountId/counterparties', may: (r: Role) => r !== 'enterprise' },
  indexTraces: { route: 'GET /v1/traces', may: (r: Role) => r !== 'enterprise' },
  recordSanctions: { route: 'POST /v1/credit/sanctions', may: (r: Role) => r === 'regulator' },
  publishCreditModel: { route: 'POST /v1/credit/model', may: (r: Role) => r === 'regulator' },
  reviewObjections: { route: 'GET /v1/credit/objections', may: (r: Role) => r === 'regulator' || r === 'auditor' },
  decideObjections: { route: 'POST /v1/credit/objections/:entityId/:entryId/decision', may: (r: Role) => r === 'regulator' },
  counterpartyGrade: { route: 'GET /v1/credit/entities/:entityId', may: (_r: Role) => true },
} as const;

export const may = (action: keyof typeof MAY, role: Role): boolean => MAY[action].may(role);
