// The rule engine: whitelisted JSON Logic over the documented facts, BLOCK and ALERT outcomes.
import { ChaincodeError } from '../errors';
import { applyRules, blockError, checkPublishable, FACT_PATHS, type Rule, type TransferFacts, validateLogic } from './rules';

const facts: TransferFacts = {
  amount: 5_000_000,
  currency: 'CNY',
  purpose: 'construction',
  hourOfDay: 3,
  payer: { entityId: 'A', accountId: 'acc-a', filingStatus: 'approved', watchlisted: false, accountWatchlisted: false, creditGrade: 'B' },
  payee: { entityId: 'B', accountId: 'acc-b', filingStatus: 'none', watchlisted: true, accountWatchlisted: false, creditGrade: 'D' },
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
    // An operator hidden in the default of "var" (json-logic evaluates defaults) used to go unchecked.
    [{ var: ['amount', { map: [[1, 2], { var: '' }] }] }, /operator "map"/],
    [{ var: ['amount', { reduce: [[1], { '+': [1, 1] }, 0] }] }, /operator "reduce"/],
    [{ var: ['amount', { var: 'payer.secret' }] }, /fact "payer.secret"/],
    [{ var: ['amount', 0, 1] }, /at most one default/],
    [{ '==': [{ var: 'purpose' }, 'x'.repeat(300)] }, /longer than 256/],
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

  it('refuses a CPU bomb of nested loops, however it is wrapped', () => {
    let bomb: unknown = { var: 'amount' };
    for (let i = 0; i < 5; i += 1) bomb = { reduce: [Array.from({ length: 50 }, (_, k) => k), bomb, 0] };
    expect(() => validateLogic(bomb)).toThrow(/operator "reduce"/);
    expect(() => validateLogic({ var: ['amount', bomb] })).toThrow(/operator "reduce"/);
    expect(() => validateLogic({ '==': [1, { var: ['amount', bomb] }] })).toThrow(/operator "reduce"/);
  });

  it('refuses logic of more JSON than 16 KiB', () => {
    expect(() => validateLogic({ in: [{ var: 'purpose' }, Array.from({ length: 180 }, () => 'y'.repeat(200))] })).toThrow(/bytes of JSON/);
  });

  it('documents every fact it hands to rules', () => {
    const leaves = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect([...leaves(facts)].sort()).toEqual([...FACT_PATHS].sort());
  });
});

describe('applyRules', () => {
  it('fires the rules whose logic holds, in rule id order', () => {
    const { fired } = applyRules(
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
    expect(applyRules([inactive, otherPurpose, tooSmall, otherType, inScope], facts).fired.map((f) => f.ruleId)).toEqual(['e']);
  });

  it('can express budget, window and round-trip patterns', () => {
    const { fired } = applyRules(
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
    const err = blockError(applyRules([rule('x', true, 'BLOCK'), { ...rule('y', true, 'BLOCK'), version: 3 }, rule('z', true)], facts).fired);
    expect(err?.code).toBe('RULE_BLOCKED');
    expect(err?.message).toContain('x v1');
    expect(err?.message).toContain('y v3');
    expect(err?.message).not.toContain('z v1');
    expect(blockError(applyRules([rule('z', true)], facts).fired)).toBeUndefined();
  });
});

describe('a rule that fails at evaluation', () => {
  const broken = rule('a-broken', { missing_some: [1, null] }, 'BLOCK');

  it('is reported as failed while the other rules still apply', () => {
    const outcome = applyRules([broken, rule('b-large', { '>=': [{ var: 'amount' }, 1] })], facts);
    expect(outcome.fired.map((f) => f.ruleId)).toEqual(['b-large']);
    expect(outcome.failed).toEqual([{ ruleId: 'a-broken', version: 1, action: 'BLOCK', error: expect.stringMatching(/null/) }]);
  });

  it('is refused at publication after a dry run on sample facts', () => {
    expect(() => checkPublishable(broken.logic)).toThrow(/fails on sample transfer 1/);
    expect(() => checkPublishable({ '>=': [{ var: 'amount' }, 1] })).not.toThrow();
  });
});
