// Bad input as callers send it: each refused with a clear code, and no state written.
import { as, BANK, ENT1, filingInput, person, World } from './fixtures';

const transfer = { fromAccount: 'fund-1', toAccount: 'ent1-main', amount: 100, currency: 'CNY', purpose: 'aid', reference: '' };

describe('bad input', () => {
  let world: World;
  beforeEach(async () => {
    world = new World();
    await world.call(
      'project:create',
      { projectId: 'p1', name: 'p', type: 'donation', ownerEntityId: BANK, fundHolderBankId: BANK, budgets: [{ purpose: 'aid', amount: 1_000_000 }] },
      as.regulator,
    );
    await world.call('account:open', { accountId: 'fund-1', ownerEntityId: BANK, name: 'fund', projectId: 'p1' }, as.bank);
    await world.call('account:open', { accountId: 'ent1-main', ownerEntityId: ENT1, holderBankId: BANK, name: 'a' }, as.enterprise);
  });

  it.each([
    ['a negative amount', { ...transfer, amount: -100 }, '/amount'],
    ['a zero amount', { ...transfer, amount: 0 }, '/amount'],
    ['a fractional amount', { ...transfer, amount: 10.5 }, '/amount'],
    ['an amount beyond the maximum', { ...transfer, amount: 1e15 }, '/amount'],
    ['an amount as a string', { ...transfer, amount: '100' }, '/amount'],
    ['an amount in scientific notation overflow', { ...transfer, amount: 1e308 }, '/amount'],
    ['another currency', { ...transfer, currency: 'USD' }, '/currency'],
    ['a missing field', { fromAccount: 'fund-1', toAccount: 'ent1-main', amount: 1, currency: 'CNY', purpose: 'aid' }, '/reference'],
    ['an extra field', { ...transfer, approvedBy: 'me' }, '/approvedBy'],
    ['an id with the key separator', { ...transfer, toAccount: 'ent1~main' }, '/toAccount'],
    ['an oversize reference', { ...transfer, reference: 'x'.repeat(201) }, '/reference'],
    ['a purpose with spaces', { ...transfer, purpose: 'office rent' }, '/purpose'],
  ])('refuses a transfer with %s', async (_what, input, field) => {
    const err = await world.refuses('VALIDATION_FAILED', 'transfer:record', input, as.bank);
    expect(err.details).toEqual({ field });
  });

  it.each([
    ['text that is not JSON', '{amount: 1'],
    ['an empty argument', ''],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['an input over 64 KiB', JSON.stringify({ ...transfer, reference: 'x'.repeat(70_000) })],
  ])('refuses %s', async (_what, raw) => {
    await world.refuses('VALIDATION_FAILED', 'transfer:record', raw, as.bank);
  });

  it('refuses a credit code whose check digit is wrong', async () => {
    const input = filingInput();
    (input.applicant as { creditCode: string }).creditCode = `${ENT1.slice(0, 17)}${ENT1.endsWith('0') ? '1' : '0'}`;
    const err = await world.refuses('VALIDATION_FAILED', 'filing:submit', input, as.enterprise, { transient: { personInCharge: person } });
    expect(err.message).toContain('check digit');
  });

  it.each([
    ['an applicant type off the list', (i: Record<string, any>) => ({ ...i, applicant: { ...i.applicant, type: 'government' } })],
    ['no server address', (i: Record<string, any>) => ({ ...i, service: { ...i.service, serverAddresses: [] } })],
    ['an attachment digest that is not SHA-256', (i: Record<string, any>) => ({ ...i, attachments: [{ name: 'a', sha256: 'abc' }] })],
    ['an oversize service name', (i: Record<string, any>) => ({ ...i, service: { ...i.service, name: '服'.repeat(201) } })],
    ['a nested extra field', (i: Record<string, any>) => ({ ...i, service: { ...i.service, secret: true } })],
  ])('refuses a filing with %s', async (_what, mutate) => {
    await world.refuses('VALIDATION_FAILED', 'filing:submit', mutate(filingInput()), as.enterprise, { transient: { personInCharge: person } });
  });

  it.each([
    ['filing:get', { filingId: 'FIL-missing' }, 'FILING_NOT_FOUND', as.regulator],
    ['filing:lookup', { filingNumber: '网信备50000020260101000000号' }, 'FILING_NUMBER_NOT_FOUND', as.bank],
    ['rule:get', { ruleId: 'nope' }, 'RULE_NOT_FOUND', as.bank],
    ['rule:deactivate', { ruleId: 'nope' }, 'RULE_NOT_FOUND', as.regulator],
    ['transfer:get', { transferId: 'TRF-nope' }, 'TRANSFER_NOT_FOUND', as.bank],
    ['project:get', { projectId: 'nope' }, 'PROJECT_NOT_FOUND', as.bank],
    ['alert:acknowledge', { alertId: 'ALR-nope', note: 'n' }, 'ALERT_NOT_FOUND', as.regulator],
    ['trace:flows', { accountId: 'nope', direction: 'forward' }, 'ACCOUNT_NOT_FOUND', as.auditor],
    ['rule:unwatch', { kind: 'entity', value: 'nobody', note: 'n' }, 'WATCHLIST_ENTRY_NOT_FOUND', as.regulator],
  ] as const)('%s with an unknown id answers %s', async (tx, input, code, who) => {
    await world.refuses(code, tx, input, who);
  });

  it('refuses rule logic off the whitelist or over undocumented facts', async () => {
    const base = { ruleId: 'r1', name: 'n', description: '', action: 'BLOCK', severity: 'low' };
    await world.refuses('RULE_INVALID', 'rule:publish', { ...base, logic: { log: 1 } }, as.regulator);
    await world.refuses('RULE_INVALID', 'rule:publish', { ...base, logic: { var: 'payer.password' } }, as.regulator);
    await world.refuses('VALIDATION_FAILED', 'rule:publish', { ...base, action: 'DELETE', logic: true }, as.regulator);
  });

  it('refuses duplicates of accounts and projects', async () => {
    await world.refuses('ACCOUNT_EXISTS', 'account:open', { accountId: 'fund-1', ownerEntityId: BANK, name: 'x' }, as.bank);
    await world.refuses(
      'PROJECT_EXISTS',
      'project:create',
      { projectId: 'p1', name: 'p', type: 'donation', ownerEntityId: BANK, budgets: [{ purpose: 'aid', amount: 1 }] },
      as.bank,
    );
    await world.refuses(
      'VALIDATION_FAILED',
      'project:create',
      {
        projectId: 'p2',
        name: 'p',
        type: 'donation',
        ownerEntityId: BANK,
        budgets: [
          { purpose: 'aid', amount: 1 },
          { purpose: 'aid', amount: 2 },
        ],
      },
      as.bank,
    );
  });
});
