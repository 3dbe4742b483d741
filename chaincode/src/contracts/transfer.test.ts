// Transfers through the contract: budgets by purpose, rules that block or alert, the dry run, traces.
import { alertsOf, approveFiling, as, BANK, ENT1, ENT2, submitFiling, World } from '../test/fixtures';

const YUAN = 100;

async function setUp(world: World): Promise<void> {
  await world.call(
    'project:create',
    {
      projectId: 'flood-relief',
      name: '2026 防汛救灾资金',
      type: 'public_fund',
      ownerEntityId: BANK,
      fundHolderBankId: BANK,
      budgets: [
        { purpose: 'relief_supplies', amount: 1_000_000 * YUAN },
        { purpose: 'reconstruction', amount: 5_000_000 * YUAN },
      ],
    },
    as.regulator,
  );
  await world.call('account:open', { accountId: 'fund-1', ownerEntityId: BANK, name: '专项资金账户', projectId: 'flood-relief' }, as.bank);
  await world.call('account:open', { accountId: 'ent1-main', ownerEntityId: ENT1, holderBankId: BANK, name: '基本户' }, as.enterprise);
  await world.call('account:open', { accountId: 'ent2-main', ownerEntityId: ENT2, name: '基本户' }, as.bank);
}

let invoice = 0;
const transfer = (from: string, to: string, amount: number, purpose = 'relief_supplies') => ({
  fromAccount: from,
  toAccount: to,
  amount,
  currency: 'CNY',
  purpose,
  reference: `INV-${(invoice += 1)}`,
});

describe('transfer contract', () => {
  let world: World;
  beforeEach(async () => {
    world = new World();
    await setUp(world);
  });

  it('records a transfer from a project account within its purpose and budget', async () => {
    const { result, event } = await world.invoke('transfer:record', transfer('fund-1', 'ent1-main', 200_000 * YUAN), as.bank);
    const t = JSON.parse(result) as { transferId: string; amount: number; projectId: string };
    expect(t).toMatchObject({ amount: 20_000_000, projectId: 'flood-relief' });
    expect(event?.payload.events[0]).toMatchObject({ type: 'TransferRecorded', transferId: t.transferId });
    const project = await world.call<{ spending: { purpose: string; spent: number; remaining: number }[] }>(
      'project:get',
      { projectId: 'flood-relief' },
      as.auditor,
    );
    expect(project.spending).toContainEqual({ purpose: 'relief_supplies', budget: 100_000_000, spent: 20_000_000, remaining: 80_000_000 });
  });

  it('refuses a purpose the project was not approved for, and an amount over the remaining budget', async () => {
    const purpose = await world.refuses('PURPOSE_NOT_APPROVED', 'transfer:record', transfer('fund-1', 'ent1-main', 100, 'office_rent'), as.bank);
    expect(purpose.details).toEqual({ approved: ['reconstruction', 'relief_supplies'] });
    await world.call('transfer:record', transfer('fund-1', 'ent1-main', 900_000 * YUAN), as.bank);
    const over = await world.refuses('BUDGET_EXCEEDED', 'transfer:record', transfer('fund-1', 'ent2-main', 100_001 * YUAN), as.bank);
    expect(over.details).toEqual({ budget: 100_000_000, spent: 90_000_000, requested: 10_000_100 });
    await world.call('transfer:record', transfer('fund-1', 'ent2-main', 100_000 * YUAN), as.bank);
  });

  it('blocks a transfer by a BLOCK rule, naming the rule and version, and writes nothing', async () => {
    await world.call(
      'rule:publish',
      { ruleId: 'watch-payee', name: '收款方在监控名单', description: '', logic: { var: 'payee.watchlisted' }, action: 'BLOCK', severity: 'critical' },
      as.regulator,
    );
    await world.call(
      'rule:publish',
      {
        ruleId: 'watch-payee',
        name: '收款方在监控名单',
        description: 'v2',
        logic: { '==': [{ var: 'payee.watchlisted' }, true] },
        action: 'BLOCK',
        severity: 'critical',
      },
      as.regulator,
    );
    await world.call('rule:watch', { kind: 'entity', value: ENT2, reason: '涉嫌非法集资' }, as.regulator);
    const err = await world.refuses('RULE_BLOCKED', 'transfer:record', transfer('fund-1', 'ent2-main', 100), as.bank);
    expect(err.message).toContain('watch-payee v2');
    await world.call('transfer:record', transfer('fund-1', 'ent1-main', 100), as.bank);
  });

  it('raises an alert for an ALERT rule and records it with the transfer, rule and version', async () => {
    await world.call(
      'rule:publish',
      { ruleId: 'large', name: '大额', description: '', logic: { '>=': [{ var: 'amount' }, 50_000 * YUAN] }, action: 'ALERT', severity: 'medium' },
      as.regulator,
    );
    const { result, event } = await world.invoke('transfer:record', transfer('fund-1', 'ent1-main', 60_000 * YUAN), as.bank);
    const t = JSON.parse(result) as { transferId: string; alerts?: string[] };
    expect(t.alerts).toBeUndefined();
    const alerts = await alertsOf(world, t.transferId);
    expect(alerts).toHaveLength(1);
    const alert = await world.call('alert:get', { alertId: alerts[0] }, as.regulator);
    expect(alert).toMatchObject({ ruleId: 'large', ruleVersion: 1, transferId: t.transferId, status: 'open', severity: 'medium' });
    expect(event?.payload.events.map((e) => e.type)).toEqual(['TransferRecorded', 'RuleFired', 'AlertRaised']);
  });

  it('answers the regulator "would this comply?" without writing, with the rules that would fire and the facts', async () => {
    await world.call(
      'rule:publish',
      {
        ruleId: 'no-filing',
        name: '收款方未备案',
        description: '',
        logic: { '!=': [{ var: 'payee.filingStatus' }, 'approved'] },
        action: 'BLOCK',
        severity: 'high',
      },
      as.regulator,
    );
    const before = world.peer.snapshot();
    const check = await world.call<{ compliant: boolean; fired: { ruleId: string }[]; facts: { payee: { filingStatus: string } } }>(
      'transfer:checkTransfer',
      transfer('fund-1', 'ent1-main', 100),
      as.regulator,
    );
    expect(check).toMatchObject({ compliant: false, fired: [{ ruleId: 'no-filing' }], facts: { payee: { filingStatus: 'none' } } });
    expect(world.peer.snapshot()).toEqual(before);
    await approveFiling(world, await submitFiling(world));
    const after = await world.call<{ compliant: boolean; fired: unknown[] }>('transfer:checkTransfer', transfer('fund-1', 'ent1-main', 100), as.regulator);
    expect(after).toMatchObject({ compliant: true, fired: [] });
  });

  it('tells a member only whether it complies and which BLOCK rule stops it: no watchlist, ALERT rules or facts', async () => {
    await world.call('rule:watch', { kind: 'account', value: 'ent2-main', reason: '可疑' }, as.regulator);
    await world.call(
      'rule:publish',
      { ruleId: 'watched', name: '关注账户', description: '', logic: { var: 'payee.accountWatchlisted' }, action: 'ALERT', severity: 'high' },
      as.regulator,
    );
    await world.call(
      'rule:publish',
      { ruleId: 'cap', name: '限额', description: '', logic: { '>': [{ var: 'amount' }, 1000] }, action: 'BLOCK', severity: 'high' },
      as.regulator,
    );
    const quiet = await world.call('transfer:checkTransfer', transfer('ent1-main', 'ent2-main', 10, 'goods'), as.enterprise);
    expect(quiet).toEqual({ compliant: true, violations: [], blockedBy: [] });
    const blocked = await world.call('transfer:checkTransfer', transfer('ent1-main', 'ent2-main', 5000, 'goods'), as.enterprise);
    expect(blocked).toEqual({ compliant: false, violations: [], blockedBy: [{ ruleId: 'cap', version: 1, name: '限额' }] });
    expect(JSON.stringify(blocked)).not.toMatch(/watch|facts|fired/i);
    const regulatorView = await world.call<{ fired: { ruleId: string }[] }>(
      'transfer:checkTransfer',
      transfer('ent1-main', 'ent2-main', 10, 'goods'),
      as.regulator,
    );
    expect(regulatorView.fired.map((f) => f.ruleId)).toEqual(['watched']);
  });

  it('records a transfer when a rule fails at evaluation, with the failure reported on it and in the event', async () => {
    // Passes the publication dry run (its samples use other purposes) but throws for relief supplies.
    const logic = { missing_some: [1, { if: [{ '==': [{ var: 'purpose' }, 'relief_supplies'] }, null, ['amount']] }] };
    await world.call('rule:publish', { ruleId: 'fragile', name: '脆弱', description: '', logic, action: 'BLOCK', severity: 'low' }, as.regulator);
    const { result, event } = await world.invoke('transfer:record', transfer('fund-1', 'ent1-main', 100), as.bank);
    const t = JSON.parse(result) as { ruleFailures: { ruleId: string; action: string }[] };
    expect(t.ruleFailures).toEqual([expect.objectContaining({ ruleId: 'fragile', version: 1, action: 'BLOCK' })]);
    expect(event?.payload.events.map((e) => e.type)).toEqual(['TransferRecorded', 'RuleFailed']);
  });

  it('refuses to publish a rule that fails on the sample transfers', async () => {
    await world.refuses(
      'RULE_INVALID',
      'rule:publish',
      { ruleId: 'broken', name: 'b', description: '', logic: { missing_some: [1, null] }, action: 'BLOCK', severity: 'low' },
      as.regulator,
    );
  });

  it('reports hard violations in the dry run too', async () => {
    const check = await world.call<{ compliant: boolean; violations: { code: string }[] }>(
      'transfer:checkTransfer',
      transfer('fund-1', 'ent1-main', 100, 'travel'),
      as.bank,
    );
    expect(check.compliant).toBe(false);
    expect(check.violations.map((v) => v.code)).toEqual(['PURPOSE_NOT_APPROVED']);
  });

  it('keeps rolling sums per payer over windows without a shared counter', async () => {
    const t0 = world.peer.clock;
    await world.call('transfer:record', transfer('ent1-main', 'ent2-main', 100, 'goods'), as.enterprise, { time: t0 });
    await world.call('transfer:record', transfer('ent1-main', 'ent2-main', 200, 'goods'), as.enterprise, { time: t0 + 600 });
    await world.call('transfer:record', transfer('ent1-main', 'ent2-main', 400, 'goods'), as.enterprise, { time: t0 + 5000 });
    const check = await world.call<{ facts: { window: Record<string, number> } }>(
      'transfer:checkTransfer',
      transfer('ent1-main', 'ent2-main', 1, 'goods'),
      as.regulator,
      { time: t0 + 5400 },
    );
    expect(check.facts.window).toEqual({ payerSum1h: 400, payerCount1h: 1, payerSum24h: 700, payerCount24h: 3 });
    const later = await world.call<{ facts: { window: Record<string, number> } }>(
      'transfer:checkTransfer',
      transfer('ent1-main', 'ent2-main', 1, 'goods'),
      as.regulator,
      { time: t0 + 2 * 86400 },
    );
    expect(later.facts.window).toEqual({ payerSum1h: 0, payerCount1h: 0, payerSum24h: 0, payerCount24h: 0 });
    const keys = [...world.peer.state.keys()];
    expect(keys.filter((k) => k.startsWith('payerwin~'))).toHaveLength(3);
  });

  it('spots a round trip: money coming back from the payee', async () => {
    await world.call(
      'rule:publish',
      { ruleId: 'round-trip', name: '资金回流', description: '', logic: { var: 'pattern.roundTrip' }, action: 'ALERT', severity: 'high' },
      as.regulator,
    );
    const t0 = world.peer.clock;
    const out = await world.call<{ transferId: string }>('transfer:record', transfer('ent1-main', 'ent2-main', 500, 'goods'), as.enterprise, { time: t0 });
    expect(await alertsOf(world, out.transferId)).toEqual([]);
    // Recorded two minutes after the payment out: the write path reads only settled recording minutes.
    const back = await world.call<{ transferId: string }>('transfer:record', transfer('ent2-main', 'ent1-main', 490, 'goods'), as.bank, { time: t0 + 120 });
    expect(await alertsOf(world, back.transferId)).toHaveLength(1);
  });

  it('costs a bounded number of state reads per transfer', async () => {
    for (let i = 0; i < 3; i += 1) {
      await world.call(
        'rule:publish',
        { ruleId: `r${i}`, name: 'r', description: '', logic: { '>': [{ var: 'amount' }, 1e12] }, action: 'ALERT', severity: 'low' },
        as.regulator,
      );
    }
    await world.call('transfer:record', transfer('fund-1', 'ent1-main', 100), as.bank);
    // Rules on the amount alone: the reference, 2 accounts, the project and its spend; the active rules.
    expect(world.peer.lastReads).toMatchObject({ pointReads: 5, rangeReads: 1 });
    await world.call(
      'rule:publish',
      {
        ruleId: 'every-fact',
        name: 'all',
        description: '',
        logic: {
          or: [
            { var: 'payer.watchlisted' },
            { '==': [{ var: 'payee.filingStatus' }, 'x'] },
            { '>': [{ var: 'window.payerSum24h' }, 1e12] },
            { var: 'pattern.roundTrip' },
          ],
        },
        action: 'ALERT',
        severity: 'low',
      },
      as.regulator,
    );
    await world.call('transfer:record', transfer('fund-1', 'ent1-main', 100), as.bank);
    // Every fact group: 4 watchlist points more; 2 filing-status ranges, a window range and a round-trip range
    // per business day in the last 24 h (one or two).
    const all = world.peer.lastReads;
    expect(all.pointReads).toBe(9);
    expect(all.rangeReads).toBeGreaterThanOrEqual(5);
    expect(all.rangeReads).toBeLessThanOrEqual(7);
  });

  it('lets an enterprise move only its own money, and nobody record a transfer between one account', async () => {
    await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:record', transfer('ent2-main', 'ent1-main', 1, 'goods'), as.enterprise);
    await world.refuses('TRANSFER_INVALID', 'transfer:record', transfer('ent1-main', 'ent1-main', 1, 'goods'), as.enterprise);
    await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:record', transfer('ent1-main', 'nowhere', 1, 'goods'), as.enterprise);
  });
});
