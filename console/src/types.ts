// The gateway's answers, typed from the schemas the gateway and chaincode share.
import type { Static } from '@sinclair/typebox';
import type * as R from '@regchain/common';

export type Alert = Static<typeof R.AlertRecord>;
export type AlertHistory = Static<typeof R.AlertHistory>;
export type Filing = Static<typeof R.FilingRecord>;
export type FilingHistory = Static<typeof R.FilingHistory>;
export type Rule = Static<typeof R.RuleRecord>;
export type WatchlistEntry = Static<typeof R.WatchlistRecord>;
export type Account = Static<typeof R.AccountRecord>;
export type Project = Static<typeof R.ProjectRecord>;
export type ProjectFlows = Static<typeof R.ProjectFlowsRecord>;
export type Transfer = Static<typeof R.TransferRecord>;
export type Verdict = Static<typeof R.TransferVerdict>;
export type Trace = Static<typeof R.TraceRecord>;
export type Statistics = Static<typeof R.StatisticsRecord>;
export type Counterparties = Static<typeof R.CounterpartiesRecord>;
export interface Page<T> {
  readonly items: T[];
  readonly bookmark: string;
}
