// Every role against every transaction: the allowed succeed, the others are refused with ACCESS_DENIED.
import { DEFAULT_CREDIT_MODEL, TRANSACTIONS } from '@regchain/common';
import 'reflect-metadata';
import type { Role } from '../identity';
import { alertsOf, as, BANK, BANK2, ENT1, ENT2, filingInput, person, submitFiling, typologyParameters, World } from './fixtures';
import type { TestIdentity } from './peer';

interface Fixture {
  filingId: string;
  transferId: string;
  alertId: string;
  filingNumber?: string;
  /** Credit entries by entity, for objections. */
  entries?: Record<string, string>;
}

async function baseWorld(): Promise<{ world: World; f: Fixture }> {
  const world = new World();
  await world.call(
    'project:create',
    { projectId: 'p1', name: 'p', type: 'donation', ownerEntityId: BANK, fundHolderBankId: BANK, budgets: [{ purpose: 'aid', amount: 1_000_000 }] },
    as.regulator,
  );
  await world.call('account:open', { accountId: 'fund-1', ownerEntityId: BANK, name: 'fund', projectId: 'p1' }, as.bank);
  await world.call('account:open', { accountId: 'ent1-main', ownerEntityId: ENT1, holderBankId: BANK, name: 'a' }, as.enterprise);
  await world.call('account:open', { accountId: 'ent2-main', ownerEntityId: ENT2, name: 'b' }, as.bank);
  const filing = await world.call<{ filingId: string }>('filing:submit', filingInput(), as.enterprise, { transient: { personInCharge: person } });
  await world.call('rule:publish', { ruleId: 'r0', name: 'never', description: '', logic: false, action: 'BLOCK', severity: 'low' }, as.regulator);
  await world.call(
    'rule:publish',
    { ruleId: 'r1', name: 'any', description: '', logic: { '>=': [{ var: 'amount' }, 1] }, action: 'ALERT', severity: 'low' },
    as.regulator,
  );
  await world.call('rule:watch', { kind: 'entity', value: ENT2, reason: 'r' }, as.regulator);
  const t = await world.call<{ transferId: string }>(
    'transfer:record',
    { fromAccount: 'fund-1', toAccount: 'ent1-main', amount: 10, currency: 'CNY', purpose: 'aid', reference: '' },
    as.bank,
  );
  return { world, f: { filingId: filing.filingId, transferId: t.transferId, alertId: (await alertsOf(world, t.transferId))[0] as string } };
}

const underReview = async (w: World, f: Fixture): Promise<void> => {
  await w.call('filing:startReview', { filingId: f.filingId, note: '' }, as.regulator);
};

interface Case {
  readonly allowed: readonly Role[];
  readonly prep?: (w: World, f: Fixture) => Promise<void>;
  readonly input: (f: Fixture, who: TestIdentity) => unknown;
  readonly transient?: boolean;
}

const transferFrom = (who: TestIdentity) =>
  who.role === 'enterprise'
    ? { fromAccount: 'ent1-main', toAccount: 'fund-1', amount: 5, currency: 'CNY', purpose: 'aid', reference: '' }
    : { fromAccount: 'fund-1', toAccount: 'ent1-main', amount: 5, currency: 'CNY', purpose: 'aid', reference: '' };

const CASES: Record<string, Case> = {
  'filing:submit': { allowed: ['enterprise'], input: () => filingInput(ENT1, '新服务'), transient: true },
  'filing:amend': { allowed: ['enterprise'], input: (f) => ({ filingId: f.filingId, service: filingInput().service, attachments: [] }) },
  'filing:startReview': { allowed: ['regulator'], input: (f) => ({ filingId: f.filingId, note: '' }) },
  'filing:approve': { allowed: ['regulator'], prep: underReview, input: (f) => ({ filingId: f.filingId, note: '' }) },
  'filing:returnForCorrection': { allowed: ['regulator'], prep: underReview, input: (f) => ({ filingId: f.filingId, note: 'x' }) },
  'filing:reject': { allowed: ['regulator'], prep: underReview, input: (f) => ({ filingId: f.filingId, note: 'x' }) },
  'filing:deregister': { allowed: ['enterprise', 'regulator'], input: (f) => ({ filingId: f.filingId, note: 'x' }) },
  'filing:get': { allowed: ['regulator', 'auditor', 'enterprise'], input: (f) => ({ filingId: f.filingId }) },
  'filing:list': { allowed: ['regulator', 'auditor', 'enterprise'], input: () => ({}) },
  'filing:history': { allowed: ['regulator', 'auditor', 'enterprise'], input: (f) => ({ filingId: f.filingId }) },
  'filing:getPersonInCharge': { allowed: ['regulator', 'enterprise'], input: (f) => ({ filingId: f.filingId }) },
  'filing:lookup': {
    allowed: ['regulator', 'auditor', 'enterprise', 'bank'],
    prep: async (w, f) => {
      await underReview(w, f);
      f.filingNumber = (await w.call<{ filingNumber: string }>('filing:approve', { filingId: f.filingId, note: '' }, as.regulator)).filingNumber;
    },
    input: (f) => ({ filingNumber: f.filingNumber }),
  },
  'rule:publish': { allowed: ['regulator'], input: () => ({ ruleId: 'r2', name: 'n', description: '', logic: true, action: 'ALERT', severity: 'low' }) },
  'rule:deactivate': { allowed: ['regulator'], input: () => ({ ruleId: 'r1' }) },
  'rule:get': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({ ruleId: 'r0' }) },
  'rule:list': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({}) },
  'rule:versions': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({ ruleId: 'r0' }) },
  'rule:watch': { allowed: ['regulator'], input: () => ({ kind: 'account', value: 'ent1-main', reason: 'r' }) },
  'rule:unwatch': { allowed: ['regulator'], input: () => ({ kind: 'entity', value: ENT2, note: 'cleared' }) },
  'rule:watchlist': { allowed: ['regulator', 'auditor'], input: () => ({}) },
  'account:open': {
    allowed: ['regulator', 'bank', 'enterprise'],
    input: (_f, who) => ({ accountId: 'new-acc', ownerEntityId: ENT1, name: 'n', ...(who.role === 'bank' ? {} : { holderBankId: BANK }) }),
  },
  'account:get': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({ accountId: 'ent1-main' }) },
  'project:create': {
    allowed: ['regulator', 'bank'],
    input: () => ({ projectId: 'p2', name: 'n', type: 'public_fund', ownerEntityId: BANK, fundHolderBankId: BANK, budgets: [{ purpose: 'x', amount: 1 }] }),
  },
  'project:get': {
    allowed: ['regulator', 'auditor', 'enterprise', 'bank'],
    // An enterprise reads the projects it owns.
    prep: async (w) => {
      await w.call(
        'project:create',
        { projectId: 'p2', name: 'p', type: 'donation', ownerEntityId: ENT1, fundHolderBankId: BANK, budgets: [{ purpose: 'aid', amount: 1 }] },
        as.regulator,
      );
    },
    input: (_f, who) => ({ projectId: who.role === 'enterprise' ? 'p2' : 'p1' }),
  },
  'transfer:record': { allowed: ['bank', 'enterprise'], input: (_f, who) => transferFrom(who) },
  'transfer:checkTransfer': { allowed: ['bank', 'enterprise', 'regulator'], input: (_f, who) => transferFrom(who) },
  'transfer:get': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: (f) => ({ transferId: f.transferId }) },
  'transfer:recordBatch': { allowed: ['bank', 'enterprise'], input: (_f, who) => ({ items: [transferFrom(who)] }) },
  'transfer:configure': { allowed: ['regulator'], input: () => ({ maxBackdateDays: 60 }) },
  'transfer:settings': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({}) },
  'trace:flows': { allowed: ['regulator', 'auditor', 'bank'], input: () => ({ accountId: 'fund-1', direction: 'forward' }) },
  'trace:projectFlows': { allowed: ['regulator', 'auditor', 'bank'], input: () => ({ projectId: 'p1' }) },
  'trace:statistics': { allowed: ['regulator', 'auditor'], input: () => ({}) },
  'typology:publish': { allowed: ['regulator'], input: () => typologyParameters() },
  'typology:get': {
    allowed: ['regulator', 'auditor'],
    prep: async (w) => {
      await w.call('typology:publish', typologyParameters(), as.regulator);
    },
    input: () => ({}),
  },
  'alert:raisePattern': {
    allowed: ['regulator'],
    input: (f) => ({ key: `k-${f.transferId}`, typology: 'fan-out', parametersVersion: 1, score: 0.5, accounts: ['fund-1'], transferIds: [f.transferId] }),
  },
  'alert:acknowledge': { allowed: ['regulator'], input: (f) => ({ alertId: f.alertId, note: 'n' }) },
  'alert:resolve': { allowed: ['regulator'], input: (f) => ({ alertId: f.alertId, note: 'n' }) },
  'alert:markFalsePositive': { allowed: ['regulator'], input: (f) => ({ alertId: f.alertId, note: 'n' }) },
  'alert:get': { allowed: ['regulator', 'auditor'], input: (f) => ({ alertId: f.alertId }) },
  'alert:list': { allowed: ['regulator', 'auditor'], input: () => ({}) },
  'alert:history': { allowed: ['regulator', 'auditor'], input: (f) => ({ alertId: f.alertId }) },
  'credit:publishModel': { allowed: ['regulator'], input: () => DEFAULT_CREDIT_MODEL },
  'credit:model': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({}) },
  'credit:recordSanction': {
    allowed: ['regulator'],
    input: () => ({ entityId: ENT2, legalBasis: 'art. 20', decisionNumber: 'D-1', amount: 0, publicationDays: 30, summary: 's' }),
  },
  'credit:recordCommendation': { allowed: ['regulator'], input: () => ({ entityId: ENT2, summary: 's' }) },
  'credit:recordLateReports': {
    allowed: ['regulator'],
    prep: async (w, f) => {
      const late = new Date(Date.parse('2026-11-01T00:00:00Z')).toISOString();
      const t = await w.call<{ transferId: string }>(
        'transfer:record',
        { fromAccount: 'fund-1', toAccount: 'ent1-main', amount: 5, currency: 'CNY', purpose: 'aid', reference: 'late', executedAt: late },
        as.bank,
      );
      f.transferId = t.transferId;
    },
    input: (f) => ({ transferIds: [f.transferId] }),
  },
  'credit:object': {
    allowed: ['enterprise', 'bank'],
    // Each member objects to an entry in its own file.
    prep: async (w, f) => {
      for (const entityId of [ENT1, BANK]) {
        const e = await w.call<{ entryId: string }>('credit:recordCommendation', { entityId, summary: 's' }, as.regulator);
        f.entries = { ...f.entries, [entityId]: e.entryId };
      }
    },
    input: (f, who) => ({ entryId: f.entries?.[who.entityId ?? ''] ?? 'CE-none', note: 'n' }),
  },
  'credit:decideObjection': {
    allowed: ['regulator'],
    prep: async (w, f) => {
      const e = await w.call<{ entryId: string }>('credit:recordCommendation', { entityId: ENT1, summary: 's' }, as.regulator);
      await w.call('credit:object', { entryId: e.entryId, note: 'n' }, as.enterprise);
      f.entries = { [ENT1]: e.entryId };
    },
    input: (f) => ({ entityId: ENT1, entryId: f.entries?.[ENT1], decision: 'uphold', note: 'n' }),
  },
  'credit:file': {
    allowed: ['regulator', 'auditor', 'enterprise', 'bank'],
    input: (_f, who) => ({ entityId: who.role === 'bank' || who.role === 'enterprise' ? who.entityId : ENT1 }),
  },
  'credit:lookup': { allowed: ['regulator', 'auditor', 'enterprise', 'bank'], input: () => ({ entityId: ENT2 }) },
  'credit:objections': { allowed: ['regulator', 'auditor'], input: () => ({}) },
  'credit:statistics': { allowed: ['regulator', 'auditor'], input: () => ({}) },
};
// The transfer contract's old names for one release: the same rules as the new ones.
CASES['transfer:openAccount'] = CASES['account:open'] as Case;
CASES['transfer:getAccount'] = CASES['account:get'] as Case;
CASES['transfer:createProject'] = CASES['project:create'] as Case;
CASES['transfer:getProject'] = CASES['project:get'] as Case;
CASES['rule:publishTypologies'] = CASES['typology:publish'] as Case;
CASES['rule:typologies'] = CASES['typology:get'] as Case;

const ROLES = ['regulator', 'enterprise', 'bank', 'auditor'] as const;
const matrix = Object.keys(CASES).flatMap((tx) => ROLES.map((role) => [tx, role] as const));

describe('access matrix', () => {
  it.each(matrix)('%s as %s', async (tx, role) => {
    const c = CASES[tx] as Case;
    const { world, f } = await baseWorld();
    if (c.prep) await c.prep(world, f);
    const who = as[role];
    const options = c.transient ? { transient: { personInCharge: person } } : {};
    const input = c.input(f, who);
    if (c.allowed.includes(role)) {
      await expect(world.invoke(tx as `filing:${string}`, input, who, options)).resolves.toBeDefined();
    } else {
      const err = await world.refuses('ACCESS_DENIED', tx as `filing:${string}`, input, who, options);
      expect(err.message).toContain(role);
    }
  });

  it('covers every transaction the contracts expose', () => {
    const { contracts } = jest.requireActual<typeof import('./fixtures')>('./fixtures');
    const exposed = Object.entries(contracts)
      .filter(([name]) => name !== 'system')
      .flatMap(([name, contract]) =>
        Object.getOwnPropertyNames(Object.getPrototypeOf(contract))
          .filter((m) => m !== 'constructor' && !m.startsWith('_') && typeof (contract as unknown as Record<string, unknown>)[m] === 'function')
          .filter((m) => Reflect.getMetadata('fabric:transactions', contract)?.some((t: { name: string }) => t.name === m))
          .map((m) => `${name}:${m}`),
      );
    expect(exposed.sort()).toEqual(Object.keys(CASES).sort());
    // The shared list the gateway builds proposals from names exactly what the contracts expose.
    const everything = Object.entries(contracts).flatMap(([name, contract]) =>
      (Reflect.getMetadata('fabric:transactions', contract) as { name: string }[]).map((t) => `${name}:${t.name}`),
    );
    expect([...TRANSACTIONS].sort()).toEqual(everything.sort());
  });

  it.each([
    ['no role attribute', { name: 'x', mspId: 'EnterpriseMSP', entityId: ENT1 }],
    ['a role of another org', { name: 'x', mspId: 'EnterpriseMSP', role: 'regulator', entityId: ENT1 }],
    ['an unknown role', { name: 'x', mspId: 'BankMSP', role: 'admin', entityId: BANK }],
    ['no entity id', { name: 'x', mspId: 'BankMSP', role: 'bank' }],
  ])('refuses a certificate with %s', async (_what, who) => {
    const { world } = await baseWorld();
    await world.refuses('IDENTITY_INVALID', 'rule:list', {}, who);
    await world.refuses('IDENTITY_INVALID', 'rule:publish', { ruleId: 'r9', name: 'n', description: '', logic: true, action: 'BLOCK', severity: 'low' }, who);
  });
});

describe('scope: a member acts only on what it holds or owns', () => {
  const move = (from: string, to: string, amount = 5, purpose = 'aid') => ({
    fromAccount: from,
    toAccount: to,
    amount,
    currency: 'CNY',
    purpose,
    reference: '',
  });

  it('refuses another bank draining a project account it does not hold, and the budget stays whole', async () => {
    const { world } = await baseWorld();
    const err = await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:record', move('fund-1', 'ent2-main', 500_000), as.otherBank);
    expect(err.message).not.toContain(BANK);
    const missing = await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:record', move('no-such', 'ent2-main', 500_000), as.otherBank);
    expect(err.message.replace('fund-1', 'X')).toBe(missing.message.replace('no-such', 'X'));
    const project = await world.call<{ spending: { spent: number }[] }>('project:get', { projectId: 'p1' }, as.regulator);
    expect(project.spending[0]?.spent).toBe(10);
  });

  it("refuses an enterprise moving money out of another entity's account without naming its owner", async () => {
    const { world } = await baseWorld();
    const err = await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:record', move('ent1-main', 'ent2-main'), as.otherEnterprise);
    expect(err.message).not.toContain(ENT1);
    await world.refuses('ACCOUNT_NOT_FOUND', 'transfer:checkTransfer', move('ent1-main', 'ent2-main'), as.otherEnterprise);
  });

  it('lets a bank open accounts only at itself, and attach them only to projects whose funds it holds', async () => {
    const { world } = await baseWorld();
    await world.refuses('ACCESS_DENIED', 'account:open', { accountId: 'x1', ownerEntityId: ENT1, name: 'x', holderBankId: BANK }, as.otherBank);
    await world.refuses('PROJECT_NOT_FOUND', 'account:open', { accountId: 'x2', ownerEntityId: BANK, name: 'x', projectId: 'p1' }, as.otherBank);
    await world.refuses(
      'ACCESS_DENIED',
      'project:create',
      { projectId: 'p9', name: 'p', type: 'donation', ownerEntityId: ENT1, fundHolderBankId: BANK, budgets: [{ purpose: 'aid', amount: 1 }] },
      as.otherBank,
    );
    const own = await world.call<{ holderBankId: string }>('account:open', { accountId: 'x3', ownerEntityId: ENT1, name: 'x' }, as.otherBank);
    expect(own.holderBankId).toBe(BANK2);
  });

  it("refuses project accounts opened by someone other than the project's owner, bank or regulator, or at another bank", async () => {
    const { world } = await baseWorld();
    await world.refuses(
      'PROJECT_NOT_FOUND',
      'account:open',
      { accountId: 'x4', ownerEntityId: ENT1, name: 'x', projectId: 'p1', holderBankId: BANK },
      as.enterprise,
    );
    await world.refuses(
      'VALIDATION_FAILED',
      'account:open',
      { accountId: 'x5', ownerEntityId: BANK, name: 'x', projectId: 'p1', holderBankId: BANK2 },
      as.regulator,
    );
    await world.call('account:open', { accountId: 'x6', ownerEntityId: BANK, name: 'x', projectId: 'p1', holderBankId: BANK }, as.regulator);
  });

  it('answers the same for an account, transfer or project one may not see as for one that does not exist', async () => {
    const { world, f } = await baseWorld();
    const hidden = await world.refuses('ACCOUNT_NOT_FOUND', 'account:get', { accountId: 'ent1-main' }, as.otherEnterprise);
    const missing = await world.refuses('ACCOUNT_NOT_FOUND', 'account:get', { accountId: 'no-such' }, as.otherEnterprise);
    expect(hidden.message.replace('ent1-main', 'X')).toBe(missing.message.replace('no-such', 'X'));
    await world.refuses('ACCOUNT_NOT_FOUND', 'account:get', { accountId: 'ent1-main' }, as.otherBank);
    await world.refuses('TRANSFER_NOT_FOUND', 'transfer:get', { transferId: f.transferId }, as.otherBank);
    await world.refuses('TRANSFER_NOT_FOUND', 'transfer:get', { transferId: f.transferId }, as.otherEnterprise);
    await world.refuses('ACCOUNT_NOT_FOUND', 'trace:flows', { accountId: 'fund-1', direction: 'forward' }, as.otherBank);
    await world.refuses('TRANSFER_NOT_FOUND', 'trace:flows', { transferId: f.transferId, direction: 'forward' }, as.otherBank);
    await world.refuses('PROJECT_NOT_FOUND', 'trace:projectFlows', { projectId: 'p1' }, as.otherBank);
    await world.refuses('PROJECT_NOT_FOUND', 'project:get', { projectId: 'p1' }, as.otherBank);
    await world.refuses('PROJECT_NOT_FOUND', 'project:get', { projectId: 'p1' }, as.enterprise);
    // The payee sees its own side of the transfer, and neither the payer's owner and bank nor its alerts.
    const seen = await world.call<Record<string, unknown>>('transfer:get', { transferId: f.transferId }, as.enterprise);
    expect(seen).toMatchObject({ payeeEntityId: ENT1, payeeBankId: BANK, from: 'fund-1' });
    for (const k of ['alerts', 'payerEntityId', 'payerBankId', 'recordedBy']) expect(seen).not.toHaveProperty(k);
  });

  it('follows for a member only accounts it holds, whatever business time it reports: 1 fen back-dated opens nothing', async () => {
    const { world } = await baseWorld();
    await world.call('transfer:record', move('ent1-main', 'ent2-main', 700, 'goods'), as.bank);
    await world.call('account:open', { accountId: 'b2-own', ownerEntityId: BANK2, name: 'own' }, as.otherBank);
    const backdated = new Date((world.peer.clock - 29 * 86400) * 1000).toISOString();
    await world.call('transfer:record', { ...move('b2-own', 'ent1-main', 1, 'goods'), executedAt: backdated }, as.otherBank);
    type Trace = { edges: { from: string; to: string }[] };
    const member = await world.call<Trace>('trace:flows', { accountId: 'b2-own', direction: 'forward', depth: 5 }, as.otherBank);
    expect(member.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['b2-own>ent1-main']);
    const regulator = await world.call<Trace>('trace:flows', { accountId: 'b2-own', direction: 'forward', depth: 5 }, as.regulator);
    expect(regulator.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['b2-own>ent1-main', 'ent1-main>ent2-main']);
  });

  it('shows members the BLOCK rules they must meet, never the ALERT rules that watch them', async () => {
    const { world } = await baseWorld();
    for (const who of [as.enterprise, as.bank]) {
      const listed = await world.call<{ ruleId: string }[]>('rule:list', { includeInactive: true }, who);
      expect(listed.map((r) => r.ruleId)).toEqual(['r0']);
      await world.refuses('RULE_NOT_FOUND', 'rule:get', { ruleId: 'r1' }, who);
      await world.refuses('RULE_NOT_FOUND', 'rule:versions', { ruleId: 'r1' }, who);
    }
    const all = await world.call<{ ruleId: string }[]>('rule:list', {}, as.auditor);
    expect(all.map((r) => r.ruleId)).toEqual(['r0', 'r1']);
  });

  it("refuses a bookmark that starts the scan outside the caller's own list", async () => {
    const { world } = await baseWorld();
    await submitFiling(world, as.otherEnterprise, '别家服务');
    for (const bookmark of ['filingidx~entity~', `filingidx~entity~${ENT2}~`, 'filing~', 'zzz']) {
      const err = await world.refuses('VALIDATION_FAILED', 'filing:list', { bookmark }, as.enterprise);
      expect(err.message).toContain('bookmark');
    }
    const own = await world.call<{ items: { applicant: { creditCode: string } }[] }>('filing:list', {}, as.enterprise);
    expect(own.items.every((i) => i.applicant.creditCode === ENT1)).toBe(true);
  });
});
