// Rules and watchlists through the contract: versions, deactivation without deletion, regulator-only keys.
import { as, ENT2, World } from '../test/fixtures';

const rule = (version: string) => ({
  ruleId: 'large',
  name: '大额',
  description: version,
  logic: { '>=': [{ var: 'amount' }, 100] },
  action: 'ALERT',
  severity: 'medium',
});

describe('rule contract', () => {
  it('versions every change and keeps deactivated rules readable', async () => {
    const world = new World();
    await world.call('rule:publish', rule('first'), as.regulator);
    await world.call('rule:publish', rule('second'), as.regulator);
    const off = await world.call<{ version: number; active: boolean }>('rule:deactivate', { ruleId: 'large' }, as.regulator);
    expect(off).toMatchObject({ version: 3, active: false });
    expect(await world.call<unknown[]>('rule:list', {}, as.enterprise)).toEqual([]);
    expect(await world.call<{ ruleId: string }[]>('rule:list', { includeInactive: true }, as.auditor)).toEqual([
      expect.objectContaining({ ruleId: 'large', active: false }),
    ]);
    const versions = await world.call<{ version: number; description: string; active: boolean }[]>('rule:versions', { ruleId: 'large' }, as.auditor);
    expect(versions.map((v) => [v.version, v.description, v.active])).toEqual([
      [1, 'first', true],
      [2, 'second', true],
      [3, 'second', false],
    ]);
    await world.refuses('RULE_INACTIVE', 'rule:deactivate', { ruleId: 'large' }, as.regulator);
    const back = await world.call<{ version: number; active: boolean }>('rule:publish', rule('third'), as.regulator);
    expect(back).toMatchObject({ version: 4, active: true });
  });

  it('puts rules, their active entries and watchlist entries under a regulator-only key policy', async () => {
    const world = new World();
    await world.call('rule:publish', rule('v1'), as.regulator);
    await world.call('rule:watch', { kind: 'entity', value: ENT2, reason: '非法集资' }, as.regulator);
    for (const key of ['rule~large', 'ruleactive~large', `watch~entity~${ENT2}`]) expect(world.peer.validationParameters.has(key)).toBe(true);
  });

  it('keeps a removed watchlist entry with its note', async () => {
    const world = new World();
    await world.call('rule:watch', { kind: 'account', value: 'acc-9', reason: '涉案' }, as.regulator);
    await world.call('rule:unwatch', { kind: 'account', value: 'acc-9', note: '已解除' }, as.regulator);
    expect(await world.call<unknown[]>('rule:watchlist', {}, as.bank)).toEqual([]);
    expect(await world.call<unknown[]>('rule:watchlist', { includeRemoved: true }, as.auditor)).toEqual([
      expect.objectContaining({ value: 'acc-9', active: false, note: '已解除' }),
    ]);
  });
});
