// Fund-flow traces and statistics: read-only views computed from the ledger at query time.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import type { Filing } from '../domain/filing';
import { type Edge, type EdgeSource, pageOf, sumByPurpose, walk } from '@regchain/common';
import { ChaincodeError } from '../errors';
import { mayReadAccount, mayReadProject, mayReadTransfer } from '../domain/scope';
import { requireRole } from '../identity';
import { canonical } from '../json';
import { Empty, patternPrecision, ProjectFlowsInput, TraceInput } from '@regchain/common';
import { parseInput } from '../validation';
import type { Alert } from '../state/alerts';
import { RegchainContext, RegchainContract } from './base';
import { type Account, accountKey } from '../state/accounts';
import { type Project, projectKey } from '../state/projects';
import { edgesOf, type Transfer, transferKey } from '../state/transfers';

const DEFAULTS = { depth: 3, maxNodes: 200, maxEdges: 1000, pageSize: 100 };

/**
 * The edges the caller may follow. The regulator and auditors walk everything; a member only out of (or into)
 * accounts it may read, so every edge it sees is a transfer it is party to, whatever business times were
 * reported: paying 1 fen into an account, back-dated, opens nothing downstream of it.
 */
function edgeSource(ctx: RegchainContext): EdgeSource {
  const mayExpand = new Map<string, Promise<boolean>>();
  const visible = (account: string): Promise<boolean> => {
    if (ctx.caller.role === 'regulator' || ctx.caller.role === 'auditor') return Promise.resolve(true);
    let known = mayExpand.get(account);
    if (!known) {
      known = ctx.ledger.get<Account>(accountKey(account)).then((a) => a !== undefined && mayReadAccount(ctx.caller, a));
      mayExpand.set(account, known);
    }
    return known;
  };
  return async (account, direction, fromTime, toTime) =>
    (await visible(account)) ? edgesOf(ctx.ledger, direction === 'forward' ? 'out' : 'in', account, fromTime, toTime) : [];
}

const seconds = (iso: string | undefined, fallback: number): number => (iso ? Math.floor(Date.parse(iso) / 1000) : fallback);

@Info({ title: 'trace', description: 'Forward and backward fund-flow traces, project money by purpose, and statistics' })
export class TraceContract extends RegchainContract {
  constructor() {
    super('trace');
  }

  /** A bounded, paginated trace from an account or a transfer, N hops within a time window. */
  @Transaction(false)
  @Returns('string')
  async flows(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'bank'], 'trace fund flows');
    const req = parseInput(TraceInput, input, 'trace');
    if (Boolean(req.accountId) === Boolean(req.transferId)) {
      throw new ChaincodeError('VALIDATION_FAILED', 'trace: give exactly one of accountId and transferId', { field: '/accountId' });
    }
    const limits = {
      depth: req.depth ?? DEFAULTS.depth,
      fromTime: seconds(req.fromTime, 0),
      toTime: seconds(req.toTime, ctx.ledger.txSeconds()),
      maxNodes: req.maxNodes ?? DEFAULTS.maxNodes,
      maxEdges: req.maxEdges ?? DEFAULTS.maxEdges,
    };
    let start = req.accountId ?? '';
    let startTime: number | undefined;
    let origin: Transfer | undefined;
    // A bank traces from what it holds: its accounts and the transfers it is a party to.
    if (req.transferId) {
      origin = await ctx.ledger.mustSee<Transfer>(transferKey(req.transferId), 'TRANSFER_NOT_FOUND', `transfer ${req.transferId}`, (t) =>
        mayReadTransfer(ctx.caller, t),
      );
      start = req.direction === 'forward' ? origin.to : origin.from;
      startTime = origin.time;
    } else {
      await ctx.ledger.mustSee<Account>(accountKey(start), 'ACCOUNT_NOT_FOUND', `account ${start}`, (a) => mayReadAccount(ctx.caller, a));
    }
    const result = await walk(start, req.direction, limits, edgeSource(ctx), startTime);
    const page = pageOf(result, Number(req.bookmark || '0'), req.pageSize ?? DEFAULTS.pageSize);
    return canonical({
      ...page,
      origin: origin ? { transferId: origin.transferId, from: origin.from, to: origin.to, amount: origin.amount, time: origin.time } : undefined,
    });
  }

  /** Where a project's money went: direct spending by purpose, and the flow downstream of its accounts. */
  @Transaction(false)
  @Returns('string')
  async projectFlows(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor', 'bank'], 'trace project funds');
    const req = parseInput(ProjectFlowsInput, input, 'project flows');
    const project = await ctx.ledger.mustSee<Project>(projectKey(req.projectId), 'PROJECT_NOT_FOUND', `project ${req.projectId}`, (p) =>
      mayReadProject(ctx.caller, p),
    );
    const accounts = (await ctx.ledger.scan<Account>('account')).map((a) => a.value).filter((a) => a.projectId === project.projectId);
    const limits = { depth: req.depth ?? 3, fromTime: 0, toTime: ctx.ledger.txSeconds(), maxNodes: DEFAULTS.maxNodes, maxEdges: DEFAULTS.maxEdges };
    const direct: Edge[] = [];
    const downstream: Edge[] = [];
    let truncated = false;
    const source = edgeSource(ctx);
    for (const account of accounts) {
      const r = await walk(account.accountId, 'forward', limits, source);
      direct.push(...r.edges.filter((e) => e.hop === 1));
      downstream.push(...r.edges.filter((e) => e.hop > 1));
      truncated ||= r.truncated;
    }
    return canonical({
      projectId: project.projectId,
      accounts: accounts.map((a) => a.accountId),
      budgets: project.budgets,
      spentByPurpose: sumByPurpose(direct),
      downstreamByPurpose: sumByPurpose(downstream),
      truncated,
    });
  }

  /** Filings by status and category, alerts by rule and severity, transfers by project and purpose. */
  @Transaction(false)
  @Returns('string')
  async statistics(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor'], 'read statistics');
    parseInput(Empty, input, 'statistics');
    const count = (map: Map<string, { count: number; amount: number }>, k: string, amount = 0): void => {
      const c = map.get(k) ?? { count: 0, amount: 0 };
      map.set(k, { count: c.count + 1, amount: c.amount + amount });
    };
    const table = (map: Map<string, { count: number; amount: number }>, names: string[], withAmount: boolean) =>
      [...map.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => ({
          ...Object.fromEntries(k.split('|').map((part, i) => [names[i] ?? `k${i}`, part])),
          count: v.count,
          ...(withAmount ? { amount: v.amount } : {}),
        }));
    const filings = new Map<string, { count: number; amount: number }>();
    for (const { value } of await ctx.ledger.scan<Filing>('filing')) count(filings, `${value.status}|${value.service.category}`);
    const alerts = new Map<string, { count: number; amount: number }>();
    // Pattern alerts by typology, with how the regulator decided them: the monitor's precision in practice.
    const patterns = new Map<string, { alerts: number; resolved: number; falsePositives: number }>();
    for (const { value } of await ctx.ledger.scan<Alert>('alert')) {
      count(alerts, `${value.ruleId}|${value.severity}|${value.status}`);
      if (!value.pattern) continue;
      const p = patterns.get(value.pattern.typology) ?? { alerts: 0, resolved: 0, falsePositives: 0 };
      patterns.set(value.pattern.typology, {
        alerts: p.alerts + 1,
        resolved: p.resolved + (value.status === 'resolved' ? 1 : 0),
        falsePositives: p.falsePositives + (value.status === 'false_positive' ? 1 : 0),
      });
    }
    const transfers = new Map<string, { count: number; amount: number }>();
    for (const { value } of await ctx.ledger.scan<Transfer>('transfer')) count(transfers, `${value.projectId || '-'}|${value.purpose}`, value.amount);
    return canonical({
      filings: table(filings, ['status', 'category'], false),
      alerts: table(alerts, ['ruleId', 'severity', 'status'], false),
      patterns: [...patterns.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([typology, p]) => ({ typology, ...p, precision: patternPrecision(p.resolved, p.falsePositives) })),
      transfers: table(transfers, ['projectId', 'purpose'], true),
    });
  }
}
