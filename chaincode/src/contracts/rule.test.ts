// Rules and watchlists through the contract: versions, deactivation without deletion, regulator-only keys.
import { as, ENT2, typologyParameters, World } from '../test/fixtures';

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
    expect(await world.call<unknown[]>('rule:watchlist', {}, as.auditor)).toEqual([]);
    expect(await world.call<unknown[]>('rule:watchlist', { includeRemoved: true }, as.auditor)).toEqual([
      expect.objectContaining({ value: 'acc-9', active: false, note: '已解除' }),
    ]);
  });
});

describe('typology parameters', () => {
  it('are published whole by the regulator, numbered one above the last, and read by regulator and auditor only', async () => {
    const world = new World();
    await world.refuses('TYPOLOGIES_NOT_FOUND', 'typology:get', {}, as.regulator);
    const first = await world.call<{ version: number }>('typology:publish', typologyParameters(), as.regulator);
    const { result, event } = await world.invoke('typology:publish', { ...typologyParameters(), threshold: 4_000_000 }, as.regulator);
    expect([first.version, (JSON.parse(result) as { version: number }).version]).toEqual([1, 2]);
    expect(event?.payload.events).toEqual([{ type: 'TypologiesPublished', version: 2 }]);
    expect(await world.call('typology:get', {}, as.auditor)).toMatchObject({ version: 2, parameters: { threshold: 4_000_000 } });
    await world.refuses('ACCESS_DENIED', 'typology:get', {}, as.bank);
    await world.refuses('ACCESS_DENIED', 'typology:publish', typologyParameters(), as.bank);
  });

  it('refuses a set with a field missing, out of range, or a cycle longer at least than at most', async () => {
    const world = new World();
    const { smurfing: _dropped, ...missing } = typologyParameters();
    await world.refuses('VALIDATION_FAILED', 'typology:publish', missing, as.regulator);
    await world.refuses('VALIDATION_FAILED', 'typology:publish', { ...typologyParameters(), nearThresholdRatio: 1.5 }, as.regulator);
    await world.refuses(
      'VALIDATION_FAILED',
      'typology:publish',
      { ...typologyParameters(), cycle: { minLength: 5, maxLength: 3, window: 86_400, minHopRatio: 0.8, minAmount: 1 } },
      as.regulator,
    );
  });
});
