// Every query answers what its published schema (@regchain/common records) promises: the gateway documents
// its responses with those schemas and Schemathesis holds the running network to them.
import {
  AccountRecord,
  CreditEntryRecord,
  CreditFileRecord,
  CreditModelRecord,
  CreditStandingRecord,
  CreditStatisticsRecord,
  DEFAULT_CREDIT_MODEL,
  LateReportRecord,
  ObjectionRecord,
  AlertHistory,
  AlertRecord,
  FilingHistory,
  FilingRecord,
  PageOf,
  PersonInChargeRecord,
  ProjectFlowsRecord,
  ProjectRecord,
  PublicFilingRecord,
  RuleRecord,
  StatisticsRecord,
  TraceRecord,
  TransferRecord,
  TransferVerdict,
  WatchlistRecord,
} from '@regchain/common';
import { type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { alertsOf, approveFiling, as, BANK, ENT1, submitFiling, World } from './fixtures';

function conforms(schema: TSchema, value: unknown): void {
  const errors = [...Value.Errors(schema, value)].slice(0, 3).map((e) => `${e.path} ${e.message}`);
  expect(errors).toEqual([]);
}

describe('query answers match their published schemas', () => {
  it('for credit files, standings, models, objections, statistics and late reports', async () => {
    const world = new World();
    await world.call('account:open', { accountId: 'b', ownerEntityId: BANK, name: 'b' }, as.bank);
    await world.call('account:open', { accountId: 'e', ownerEntityId: ENT1, name: 'e' }, as.bank);
    const executedAt = new Date((world.peer.clock - 10 * 86_400) * 1000).toISOString();
    const late = await world.call<{ transferId: string }>(
      'transfer:record',
      { fromAccount: 'b', toAccount: 'e', amount: 1, currency: 'CNY', purpose: 'goods', reference: 'late', executedAt },
      as.bank,
    );
    conforms(LateReportRecord, await world.call('credit:recordLateReports', { transferIds: [late.transferId] }, as.regulator));
    const sanction = { entityId: ENT1, legalBasis: 'art. 20', decisionNumber: 'D-1', amount: 100_000_00, publicationDays: 90, summary: 's' };
    const entry = await world.call<{ entryId: string }>('credit:recordSanction', sanction, as.regulator);
    conforms(CreditEntryRecord, entry);
    conforms(CreditEntryRecord, await world.call('credit:object', { entryId: entry.entryId, note: 'n' }, as.enterprise));
    conforms(Type.Array(ObjectionRecord), await world.call('credit:objections', {}, as.auditor));
    conforms(
      CreditEntryRecord,
      await world.call('credit:decideObjection', { entityId: ENT1, entryId: entry.entryId, decision: 'uphold', note: 'n' }, as.regulator),
    );
    conforms(CreditFileRecord, await world.call('credit:file', { entityId: ENT1 }, as.enterprise));
    conforms(CreditFileRecord, await world.call('credit:file', { entityId: BANK }, as.bank));
    conforms(CreditStandingRecord, await world.call('credit:lookup', { entityId: ENT1 }, as.bank));
    conforms(CreditModelRecord, await world.call('credit:model', {}, as.enterprise));
    conforms(CreditModelRecord, await world.call('credit:publishModel', DEFAULT_CREDIT_MODEL, as.regulator));
    conforms(CreditStatisticsRecord, await world.call('credit:statistics', { points: 3 }, as.regulator));
  });

  it('for filings, rules, watchlists, accounts, projects, transfers, traces and alerts', async () => {
    const world = new World();
    const filingId = await submitFiling(world);
    const filingNumber = await approveFiling(world, filingId);
    conforms(FilingRecord, await world.call('filing:get', { filingId }, as.regulator));
    conforms(PageOf(FilingRecord, ''), await world.call('filing:list', {}, as.regulator));
    conforms(FilingHistory, await world.call('filing:history', { filingId }, as.enterprise));
    conforms(PublicFilingRecord, await world.call('filing:lookup', { filingNumber }, as.auditor));
    conforms(PersonInChargeRecord, await world.call('filing:getPersonInCharge', { filingId }, as.regulator));

    await world.call(
      'rule:publish',
      {
        ruleId: 'large',
        name: '大额',
        description: 'd',
        logic: { '>=': [{ var: 'amount' }, 1000] },
        action: 'ALERT',
        severity: 'high',
        scope: { minAmount: 1 },
      },
      as.regulator,
    );
    conforms(RuleRecord, await world.call('rule:get', { ruleId: 'large' }, as.regulator));
    conforms(Type.Array(RuleRecord), await world.call('rule:list', { includeInactive: true }, as.auditor));
    conforms(Type.Array(RuleRecord), await world.call('rule:versions', { ruleId: 'large' }, as.regulator));
    await world.call('rule:watch', { kind: 'entity', value: ENT1, reason: 'r' }, as.regulator);
    conforms(Type.Array(WatchlistRecord), await world.call('rule:watchlist', {}, as.auditor));

    await world.call(
      'project:create',
      { projectId: 'p', name: 'p', type: 'public_fund', ownerEntityId: ENT1, budgets: [{ purpose: 'goods', amount: 10_000 }] },
      as.bank,
    );
    await world.call('account:open', { accountId: 'x', ownerEntityId: ENT1, name: 'x', projectId: 'p' }, as.bank);
    await world.call('account:open', { accountId: 'y', ownerEntityId: BANK, name: 'y' }, as.bank);
    conforms(AccountRecord, await world.call('account:get', { accountId: 'x' }, as.bank));
    const transfer = { fromAccount: 'x', toAccount: 'y', amount: 5000, currency: 'CNY', purpose: 'goods', reference: 'INV-1' };
    const recorded = await world.call<{ transferId: string }>('transfer:record', transfer, as.bank);
    conforms(TransferRecord, recorded);
    conforms(TransferRecord, await world.call('transfer:get', { transferId: recorded.transferId }, as.auditor));
    conforms(ProjectRecord, await world.call('project:get', { projectId: 'p' }, as.regulator));
    conforms(TransferVerdict, await world.call('transfer:checkTransfer', transfer, as.bank));
    conforms(TransferVerdict, await world.call('transfer:checkTransfer', transfer, as.regulator));
    conforms(TraceRecord, await world.call('trace:flows', { accountId: 'x', direction: 'forward' }, as.regulator));
    conforms(ProjectFlowsRecord, await world.call('trace:projectFlows', { projectId: 'p' }, as.regulator));
    conforms(StatisticsRecord, await world.call('trace:statistics', {}, as.auditor));

    const alertId = (await alertsOf(world, recorded.transferId))[0] as string;
    conforms(AlertRecord, await world.call('alert:acknowledge', { alertId, note: 'n' }, as.regulator));
    conforms(AlertRecord, await world.call('alert:get', { alertId }, as.auditor));
    conforms(PageOf(AlertRecord, ''), await world.call('alert:list', {}, as.regulator));
    conforms(AlertHistory, await world.call('alert:history', { alertId }, as.regulator));
  });
});
