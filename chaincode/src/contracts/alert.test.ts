// Alerts through the contract: raised by rules, moved by the regulator with notes, listed with filters.
import { alertsOf, as, BANK, ENT1, World } from '../test/fixtures';

async function withAlerts(n: number): Promise<{ world: World; alerts: string[] }> {
  const world = new World();
  await world.call(
    'rule:publish',
    { ruleId: 'large', name: '大额', description: '', logic: { '>=': [{ var: 'amount' }, 1000] }, action: 'ALERT', severity: 'high' },
    as.regulator,
  );
  await world.call('rule:publish', { ruleId: 'any', name: '全部', description: '', logic: true, action: 'ALERT', severity: 'low' }, as.regulator);
  await world.call('account:open', { accountId: 'x', ownerEntityId: BANK, name: 'x' }, as.bank);
  await world.call('account:open', { accountId: 'y', ownerEntityId: ENT1, name: 'y' }, as.bank);
  const alerts: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const t = await world.call<{ transferId: string }>(
      'transfer:record',
      { fromAccount: 'x', toAccount: 'y', amount: 500 * (i + 1), currency: 'CNY', purpose: 'goods', reference: '' },
      as.bank,
    );
    alerts.push(...(await alertsOf(world, t.transferId)));
  }
  return { world, alerts };
}

describe('alert contract', () => {
  it('moves an alert open → acknowledged → resolved with notes, and refuses going back', async () => {
    const { world, alerts } = await withAlerts(1);
    const id = alerts[0] as string;
    await world.call('alert:acknowledge', { alertId: id, note: '已联系企业' }, as.regulator);
    const resolved = await world.call<{ status: string; notes: { status: string; note: string }[] }>(
      'alert:resolve',
      { alertId: id, note: '合同齐全' },
      as.regulator,
    );
    expect(resolved.status).toBe('resolved');
    expect(resolved.notes.map((n) => [n.status, n.note])).toEqual([
      ['acknowledged', '已联系企业'],
      ['resolved', '合同齐全'],
    ]);
    await world.refuses('ALERT_TRANSITION_INVALID', 'alert:acknowledge', { alertId: id, note: 'x' }, as.regulator);
    await world.refuses('ALERT_TRANSITION_INVALID', 'alert:markFalsePositive', { alertId: id, note: 'x' }, as.regulator);
    await world.refuses('VALIDATION_FAILED', 'alert:resolve', { alertId: id, note: '' }, as.regulator);
    const history = await world.call<{ alert: { status: string } }[]>('alert:history', { alertId: id }, as.auditor);
    expect(history.map((h) => h.alert.status)).toEqual(['open', 'acknowledged', 'resolved']);
  });

  it('lists by status, rule and severity', async () => {
    const { world, alerts } = await withAlerts(3);
    expect(alerts).toHaveLength(5);
    await world.call('alert:markFalsePositive', { alertId: alerts[0], note: '测试交易' }, as.regulator);
    const open = await world.call<{ items: { alertId: string }[] }>('alert:list', { status: 'open' }, as.regulator);
    expect(open.items).toHaveLength(4);
    const high = await world.call<{ items: { ruleId: string }[] }>('alert:list', { severity: 'high' }, as.auditor);
    expect(high.items.map((a) => a.ruleId)).toEqual(['large', 'large']);
    const byRule = await world.call<{ items: unknown[] }>('alert:list', { ruleId: 'any', status: 'open' }, as.auditor);
    expect(byRule.items).toHaveLength(2);
  });

  it('counts alerts, filings and transfers in the statistics without a shared counter', async () => {
    const { world } = await withAlerts(3);
    const stats = await world.call<{
      alerts: { ruleId: string; severity: string; count: number }[];
      transfers: { purpose: string; amount: number; count: number }[];
    }>('trace:statistics', {}, as.auditor);
    expect(stats.alerts).toEqual([
      { ruleId: 'any', severity: 'low', status: 'open', count: 3 },
      { ruleId: 'large', severity: 'high', status: 'open', count: 2 },
    ]);
    expect(stats.transfers).toEqual([{ projectId: '-', purpose: 'goods', count: 3, amount: 3000 }]);
    // No key was written by more than one transaction: nothing on the write path is shared.
    expect([...world.peer.history.values()].every((h) => h.length === 1)).toBe(true);
  });
});

describe('pattern alerts', () => {
  async function twoTransfers(): Promise<{ world: World; ids: string[] }> {
    const world = new World();
    await world.call('account:open', { accountId: 'a', ownerEntityId: BANK, name: 'a' }, as.bank);
    await world.call('account:open', { accountId: 'b', ownerEntityId: ENT1, name: 'b' }, as.bank);
    const ids: string[] = [];
    for (const [from, to, reference] of [
      ['a', 'b', 'P-1'],
      ['b', 'a', 'P-2'],
    ] as const) {
      const t = await world.call<{ transferId: string }>(
        'transfer:record',
        { fromAccount: from, toAccount: to, amount: 6_000_000, currency: 'CNY', purpose: 'goods', reference },
        as.bank,
      );
      ids.push(t.transferId);
    }
    return { world, ids };
  }
  const pattern = (ids: string[], extra: Record<string, unknown> = {}) => ({
    key: 'cycle:a>b:P-1',
    typology: 'cycle',
    parametersVersion: 1,
    score: 0.95,
    accounts: ['a', 'b'],
    transferIds: ids,
    ...extra,
  });

  it('raises one alert per pattern instance, with its evidence, in the regulator’s queue', async () => {
    const { world, ids } = await twoTransfers();
    const { result, event } = await world.invoke('alert:raisePattern', pattern(ids), as.regulator);
    const alert = JSON.parse(result) as {
      alertId: string;
      ruleId: string;
      severity: string;
      amount: number;
      status: string;
      pattern: { transferIds: string[] };
    };
    expect(alert).toMatchObject({ ruleId: 'pattern.cycle', severity: 'high', amount: 12_000_000, status: 'open', pattern: { transferIds: ids } });
    expect(event?.payload.events).toEqual([expect.objectContaining({ type: 'AlertRaised', alertId: alert.alertId, ruleId: 'pattern.cycle' })]);
    const err = await world.refuses('ALERT_EXISTS', 'alert:raisePattern', pattern(ids, { score: 0.7 }), as.regulator);
    expect(err.details).toMatchObject({ alertId: alert.alertId });
    const open = await world.call<{ items: { alertId: string }[] }>('alert:list', { status: 'open', ruleId: 'pattern.cycle' }, as.regulator);
    expect(open.items.map((a) => a.alertId)).toEqual([alert.alertId]);
    await world.call('alert:markFalsePositive', { alertId: alert.alertId, note: '关联企业正常结算' }, as.regulator);
    const stats = await world.call<{ patterns: unknown[] }>('trace:statistics', {}, as.regulator);
    expect(stats.patterns).toEqual([{ typology: 'cycle', alerts: 1, resolved: 0, falsePositives: 1, precision: 0 }]);
  });

  it('wants evidence on the ledger, accounts that are parties to it, and the regulator', async () => {
    const { world, ids } = await twoTransfers();
    await world.refuses('TRANSFER_NOT_FOUND', 'alert:raisePattern', pattern([...ids, 'TRF-nope']), as.regulator);
    await world.refuses('VALIDATION_FAILED', 'alert:raisePattern', pattern(ids, { accounts: ['a', 'c'] }), as.regulator);
    await world.refuses('VALIDATION_FAILED', 'alert:raisePattern', pattern(ids, { typology: 'mystery' }), as.regulator);
    await world.refuses('ACCESS_DENIED', 'alert:raisePattern', pattern(ids), as.bank);
  });
});
