// The rule engine: whitelisted JSON Logic over the documented facts, BLOCK and ALERT outcomes.
import { ChaincodeError } from '../errors';
import { blockError, evaluateRules, FACT_PATHS, type Rule, type TransferFacts, validateLogic } from './rules';

const facts: TransferFacts = {
  amount: 5_000_000,
  currency: 'CNY',
  purpose: 'construction',
  hourOfDay: 3,
  payer: { entityId: 'A', accountId: 'acc-a', filingStatus: 'approved', watchlisted: false, accountWatchlisted: false },
  payee: { entityId: 'B', accountId: 'acc-b', filingStatus: 'none', watchlisted: true, accountWatchlisted: false },
  project: { id: 'p1', type: 'public_fund', purposeApproved: true, budget: 10_000_000, spent: 9_000_000, remaining: 1_000_000 },
  window: { payerSum1h: 100, payerCount1h: 1, payerSum24h: 200, payerCount24h: 2 },
  pattern: { roundTrip: true },
};

const rule = (ruleId: string, logic: unknown, action: Rule['action'] = 'ALERT', scope: Rule['scope'] = {}): Rule => ({
  ruleId,
  version: 1,
  name: ruleId,
  description: '',
  logic,
  action,
  severity: 'high',
  scope,
  active: true,
  publishedAt: '',
  publishedBy: { role: 'regulator', entityId: 'R', mspId: 'RegulatorMSP' },
  lastTxId: '',
});

describe('validateLogic', () => {
  it('accepts logic over documented facts with whitelisted operators', () => {
    expect(() => validateLogic({ and: [{ '>': [{ var: 'amount' }, 100] }, { '==': [{ var: 'payee.watchlisted' }, true] }] })).not.toThrow();
    expect(() => validateLogic({ in: [{ var: 'purpose' }, ['salary', 'bonus']] })).not.toThrow();
  });

  it.each([
    [{ log: 'x' }, /operator "log"/],
    [{ method: [{ var: 'purpose' }, 'toUpperCase'] }, /operator "method"/],
    [{ var: 'payer.balance' }, /fact "payer.balance"/],
    [{ '>': [{ var: 'amount' }, 1], '<': [1, 2] }, /exactly one operator/],
    [{ '+': [1, { var: ['__proto__'] }] }, /fact "__proto__"/],
  ])('refuses %j', (logic, message) => {
    expect(() => validateLogic(logic)).toThrow(message);
    expect(() => validateLogic(logic)).toThrow(ChaincodeError);
  });

  it('refuses logic that is too deep or too large', () => {
    let deep: unknown = { var: 'amount' };
    for (let i = 0; i < 20; i += 1) deep = { '!': [deep] };
    expect(() => validateLogic(deep)).toThrow(/nested deeper/);
    expect(() => validateLogic({ and: Array.from({ length: 300 }, () => true) })).toThrow(/more than 200 nodes/);
  });

  it('documents every fact it hands to rules', () => {
    const leaves = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect([...leaves(facts)].sort()).toEqual([...FACT_PATHS].sort());
  });
});

describe('evaluateRules', () => {
  it('fires the rules whose logic holds, in rule id order', () => {
    const fired = evaluateRules(
      [
        rule('r2-watch', { '==': [{ var: 'payee.watchlisted' }, true] }, 'BLOCK'),
        rule('r1-large', { '>=': [{ var: 'amount' }, 1_000_000] }),
        rule('r3-small', { '<': [{ var: 'amount' }, 100] }),
      ],
      facts,
    );
    expect(fired.map((f) => f.ruleId)).toEqual(['r1-large', 'r2-watch']);
  });

  it('skips inactive rules and rules out of scope', () => {
    const inactive = { ...rule('a', true), active: false };
    const otherPurpose = rule('b', true, 'ALERT', { purposes: ['salary'] });
    const tooSmall = rule('c', true, 'ALERT', { minAmount: 10_000_000 });
    const otherType = rule('d', true, 'ALERT', { projectTypes: ['donation'] });
    const inScope = rule('e', true, 'ALERT', { purposes: ['construction'], projectTypes: ['public_fund'], minAmount: 1 });
    expect(evaluateRules([inactive, otherPurpose, tooSmall, otherType, inScope], facts).map((f) => f.ruleId)).toEqual(['e']);
  });

  it('can express budget, window and round-trip patterns', () => {
    const fired = evaluateRules(
      [
        rule('budget', { '>': [{ var: 'amount' }, { var: 'project.remaining' }] }),
        rule('night', { '<': [{ var: 'hourOfDay' }, 6] }),
        rule('roundtrip', { var: 'pattern.roundTrip' }),
        rule('velocity', { '>': [{ '+': [{ var: 'window.payerSum24h' }, { var: 'amount' }] }, 10_000_000] }),
      ],
      facts,
    );
    expect(fired.map((f) => f.ruleId)).toEqual(['budget', 'night', 'roundtrip']);
  });

  it('names every blocking rule and its version in the error', () => {
    const err = blockError(evaluateRules([rule('x', true, 'BLOCK'), { ...rule('y', true, 'BLOCK'), version: 3 }, rule('z', true)], facts));
    expect(err?.code).toBe('RULE_BLOCKED');
    expect(err?.message).toContain('x v1');
    expect(err?.message).toContain('y v3');
    expect(err?.message).not.toContain('z v1');
    expect(blockError(evaluateRules([rule('z', true)], facts))).toBeUndefined();
  });
});
