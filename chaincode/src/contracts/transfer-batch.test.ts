// Transfers as banks report them: batches checked item by item as if recorded one after another, business
// time within the channel's limits, and concurrent transfers of one payer that never conflict.
import { alertsOf, as, BANK, ENT1, ENT2, World } from '../test/fixtures';

const YUAN = 100;
const ISO = (seconds: number): string => new Date(seconds * 1000).toISOString();

async function setUp(world: World): Promise<void> {
  await world.call(
    'project:create',
    { projectId: 'relief', name: '救灾', type: 'public_fund', ownerEntityId: BANK, budgets: [{ purpose: 'aid', amount: 1000 * YUAN }] },
    as.bank,
  );
  await world.call('account:open', { accountId: 'fund', ownerEntityId: BANK, name: 'fund', projectId: 'relief' }, as.bank);
  await world.call('account:open', { accountId: 'ent1', ownerEntityId: ENT1, name: 'ent1' }, as.bank);
  await world.call('account:open', { accountId: 'ent2', ownerEntityId: ENT2, name: 'ent2' }, as.bank);
  for (let i = 0; i < 16; i += 1) await world.call('account:open', { accountId: `bank-${i}`, ownerEntityId: BANK, name: `b${i}` }, as.bank);
}

const item = (from: string, to: string, amount: number, reference: string, extra: Record<string, unknown> = {}) => ({
  fromAccount: from,
  toAccount: to,
  amount,
  currency: 'CNY',
  purpose: 'aid',
  reference,
  ...extra,
});

interface BatchResult {
  recorded: number;
  failed: number;
  results: { index: number; status: string; transferId?: string; code?: string }[];
}

describe('transfer batches', () => {
  let world: World;
  beforeEach(async () => {
    world = new World();
    await setUp(world);
  });

  it('records every item with its own id, indexes and events, in one transaction', async () => {
    const { result, event } = await world.invoke(
      'transfer:recordBatch',
      { items: [item('ent1', 'ent2', 10, 'A-1'), item('ent2', 'ent1', 20, 'A-2'), item('ent1', 'ent2', 30, 'A-3')] },
      as.bank,
    );
    const out = JSON.parse(result) as BatchResult;
    expect([out.recorded, out.failed]).toEqual([3, 0]);
    const ids = out.results.map((r) => r.transferId);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(await world.call('transfer:get', { transferId: id }, as.regulator)).toMatchObject({ transferId: id });
    expect(event?.payload.events.filter((e) => e.type === 'TransferRecorded')).toHaveLength(3);
  });

  it('crosses a budget mid-batch: atomic fails the whole batch naming the item, partial records the ones before', async () => {
    const items = [item('fund', 'ent1', 600 * YUAN, 'B-1'), item('fund', 'ent1', 300 * YUAN, 'B-2'), item('fund', 'ent1', 200 * YUAN, 'B-3')];
    const err = await world.refuses('BUDGET_EXCEEDED', 'transfer:recordBatch', { items }, as.bank);
    expect(err.message).toContain('item 2:');
    expect(err.details).toMatchObject({ index: 2 });
    const out = await world.call<BatchResult>('transfer:recordBatch', { items, mode: 'partial' }, as.bank);
    expect(out.results.map((r) => r.status)).toEqual(['recorded', 'recorded', 'failed']);
    expect(out.results[2]).toMatchObject({ index: 2, code: 'BUDGET_EXCEEDED' });
    const project = await world.call<{ spending: { spent: number }[] }>('project:get', { projectId: 'relief' }, as.regulator);
    expect(project.spending[0]?.spent).toBe(900 * YUAN);
  });

  it('stops at a BLOCK rule on item k; in partial mode item k alone is left out, with nothing of it written', async () => {
    await world.call(
      'rule:publish',
      { ruleId: 'no-big', name: '大额拦截', description: '', logic: { '>=': [{ var: 'amount' }, 5000] }, action: 'BLOCK', severity: 'high' },
      as.regulator,
    );
    const items = [item('ent1', 'ent2', 10, 'C-1'), item('ent1', 'ent2', 9000, 'C-2'), item('ent1', 'ent2', 30, 'C-3')];
    const before = world.peer.snapshot();
    const err = await world.refuses('RULE_BLOCKED', 'transfer:recordBatch', { items }, as.bank);
    expect(err.details).toMatchObject({ index: 1 });
    expect(world.peer.snapshot()).toEqual(before);
    const { result, event } = await world.invoke('transfer:recordBatch', { items, mode: 'partial' }, as.bank);
    const out = JSON.parse(result) as BatchResult;
    expect(out.results.map((r) => [r.index, r.status, r.code])).toEqual([
      [0, 'recorded', undefined],
      [1, 'failed', 'RULE_BLOCKED'],
      [2, 'recorded', undefined],
    ]);
    const recordedEvents = event?.payload.events.filter((e) => e.type === 'TransferRecorded') ?? [];
    expect(recordedEvents.map((e) => e.amount)).toEqual([10, 30]);
    // Two records; the batch's buckets (flows out of ent1 and into ent2, the payer's window) hold both of them and
    // nothing of the blocked item.
    const keys = [...world.peer.state.keys()];
    expect(keys.filter((k) => k.startsWith('transfer~'))).toHaveLength(2);
    for (const prefix of ['flowsout~ent1~', 'flowsin~ent2~']) {
      const flows = keys.filter((k) => k.startsWith(prefix));
      expect(flows).toHaveLength(1);
      const stored = JSON.parse(Buffer.from(world.peer.state.get(flows[0] as string) as Uint8Array).toString()) as { edges: { amount: number }[] };
      expect(stored.edges.map((e) => e.amount)).toEqual([10, 30]);
    }
    const buckets = keys.filter((k) => k.startsWith('payerwin~'));
    expect(buckets).toHaveLength(1);
    const bucket = JSON.parse(Buffer.from(world.peer.state.get(buckets[0] as string) as Uint8Array).toString()) as { entries: { amount: number }[] };
    expect(bucket.entries.map((e) => e.amount)).toEqual([10, 30]);
  });

  it("sees its own earlier items in the payer's windows", async () => {
    await world.call(
      'rule:publish',
      {
        ruleId: 'velocity',
        name: '日内累计',
        description: '',
        logic: { '>=': [{ '+': [{ var: 'window.payerSum24h' }, { var: 'amount' }] }, 100] },
        action: 'ALERT',
        severity: 'medium',
      },
      as.regulator,
    );
    const out = await world.call<BatchResult>(
      'transfer:recordBatch',
      { items: [item('ent1', 'ent2', 40, 'D-1'), item('ent1', 'ent2', 40, 'D-2'), item('ent1', 'ent2', 40, 'D-3')] },
      as.bank,
    );
    const alerts = await Promise.all(out.results.map(async (r) => (await alertsOf(world, r.transferId as string)).length));
    expect(alerts).toEqual([0, 0, 1]);
    expect(out.results.every((r) => !('alerts' in r))).toBe(true);
  });

  it('takes up to 500 items in one transaction, and no more', async () => {
    const items = Array.from({ length: 500 }, (_v, i) => item(`bank-${i % 16}`, 'ent1', 1 + i, `K-${i}-${'x'.repeat(150)}`));
    const out = await world.call<BatchResult>('transfer:recordBatch', { items }, as.bank);
    expect(out.recorded).toBe(500);
    await world.refuses('VALIDATION_FAILED', 'transfer:recordBatch', { items: [...items, item('ent1', 'ent2', 1, 'K-501')] }, as.bank);
  });

  it('refuses a reference used twice, in one batch or across transactions, and another reporter may reuse it', async () => {
    await world.refuses('TRANSFER_DUPLICATE', 'transfer:recordBatch', { items: [item('ent1', 'ent2', 1, 'E-1'), item('ent1', 'ent2', 2, 'E-1')] }, as.bank);
    await world.call('transfer:record', item('ent1', 'ent2', 1, 'E-1'), as.bank);
    const again = await world.call<BatchResult>(
      'transfer:recordBatch',
      { items: [item('ent1', 'ent2', 1, 'E-1'), item('ent1', 'ent2', 1, 'E-2')], mode: 'partial' },
      as.bank,
    );
    expect(again.results.map((r) => r.code ?? r.status)).toEqual(['TRANSFER_DUPLICATE', 'recorded']);
    await world.call('account:open', { accountId: 'own', ownerEntityId: ENT1, holderBankId: BANK, name: 'own' }, as.enterprise);
    await world.call('transfer:record', item('own', 'ent2', 1, 'E-1'), as.enterprise);
  });
});

describe('business time', () => {
  let world: World;
  beforeEach(async () => {
    world = new World();
    await setUp(world);
  });

  it('records when the payment happened beside when the ledger recorded it; traces follow business time', async () => {
    const now = world.peer.clock;
    const t = await world.call<{ executedAt: string; recordedAt: string; time: number }>(
      'transfer:record',
      item('ent1', 'ent2', 5, 'F-1', { executedAt: ISO(now - 3 * 86400) }),
      as.bank,
      { time: now },
    );
    expect(t.executedAt).toBe(ISO(now - 3 * 86400));
    expect(t.recordedAt).toBe(ISO(now));
    await world.call('transfer:record', item('ent2', 'ent1', 4, 'F-2', { executedAt: ISO(now - 2 * 86400) }), as.bank, { time: now + 1 });
    const trace = await world.call<{ edges: { amount: number; time: number }[] }>(
      'trace:flows',
      { accountId: 'ent1', direction: 'forward', depth: 2, fromTime: ISO(now - 4 * 86400) },
      as.regulator,
    );
    expect(trace.edges.map((e) => [e.amount, e.time])).toEqual([
      [5, now - 3 * 86400],
      [4, now - 2 * 86400],
    ]);
  });

  it('refuses a payment later than the ledger time plus skew, or older than the channel allows, until the regulator allows any', async () => {
    const now = world.peer.clock;
    await world.refuses('TRANSFER_INVALID', 'transfer:record', item('ent1', 'ent2', 1, 'G-1', { executedAt: ISO(now + 3600) }), as.bank, { time: now });
    await world.refuses('TRANSFER_INVALID', 'transfer:record', item('ent1', 'ent2', 1, 'G-2', { executedAt: ISO(now - 31 * 86400) }), as.bank, { time: now });
    await world.refuses('ACCESS_DENIED', 'transfer:configure', { maxBackdateDays: null }, as.bank);
    await world.call('transfer:configure', { maxBackdateDays: null }, as.regulator);
    expect(await world.call('transfer:settings', {}, as.bank)).toEqual({ maxBackdateDays: null });
    await world.call('transfer:record', item('ent1', 'ent2', 1, 'G-2', { executedAt: ISO(now - 400 * 86400) }), as.bank);
  });

  it('refuses a time of the right form that is no real time, rather than rolling it over', async () => {
    const year = new Date(world.peer.clock * 1000).getUTCFullYear() - 1;
    await world.call('transfer:configure', { maxBackdateDays: null }, as.regulator);
    for (const [i, executedAt] of [`${year}-02-30T08:00:00Z`, `${year}-04-31T08:00:00Z`, `${year}-06-01T24:00:00Z`].entries()) {
      await world.refuses('VALIDATION_FAILED', 'transfer:record', item('ent1', 'ent2', 1, `H-${i}`, { executedAt }), as.bank);
    }
    await world.call('transfer:record', item('ent1', 'ent2', 1, 'H-3', { executedAt: `${year}-02-28T08:00:00.250Z` }), as.bank);
  });
});

describe('concurrent transfers', () => {
  it('of one payer entity, in one block, all commit: none reads what another writes', async () => {
    const world = new World();
    await setUp(world);
    await world.call(
      'rule:publish',
      {
        ruleId: 'all-facts',
        name: 'all',
        description: '',
        logic: { or: [{ '>': [{ var: 'window.payerSum24h' }, 1e12] }, { var: 'pattern.roundTrip' }, { var: 'payer.watchlisted' }] },
        action: 'ALERT',
        severity: 'low',
      },
      as.regulator,
    );
    // Within one recording minute, as transfers in one block are.
    const t0 = (Math.floor(world.peer.clock / 60) + 1) * 60;
    const sims = [];
    for (let i = 0; i < 16; i += 1)
      sims.push(await world.simulate('transfer:record', item(`bank-${i}`, 'ent1', 100 + i, `H-${i}`), as.bank, { time: t0 + (i % 5) }));
    expect(world.peer.commitBlock(sims)).toEqual(Array(16).fill('VALID'));
  });

  it('a minute apart in one block commit; only a transaction recorded over a minute before another in its block may conflict', async () => {
    const world = new World();
    await setUp(world);
    await world.call(
      'rule:publish',
      { ruleId: 'velocity', name: 'v', description: '', logic: { '>': [{ var: 'window.payerSum24h' }, 1e12] }, action: 'ALERT', severity: 'low' },
      as.regulator,
    );
    const minute = (Math.floor(world.peer.clock / 60) + 1) * 60;
    const a = await world.simulate('transfer:record', item('bank-0', 'ent1', 1, 'J-1'), as.bank, { time: minute + 59 });
    const b = await world.simulate('transfer:record', item('bank-1', 'ent1', 1, 'J-2'), as.bank, { time: minute + 60 });
    // c reads the minute a wrote into: settled for it, though a had not committed when c was endorsed.
    const c = await world.simulate('transfer:record', item('bank-2', 'ent1', 1, 'J-3'), as.bank, { time: minute + 120 });
    expect(world.peer.commitBlock([a, b, c])).toEqual(['VALID', 'VALID', 'PHANTOM_READ_CONFLICT']);
  });

  it('into one budget line do conflict: spending against one line must serialise', async () => {
    const world = new World();
    await setUp(world);
    const t0 = world.peer.clock + 60;
    const a = await world.simulate('transfer:record', item('fund', 'ent1', 1, 'I-1'), as.bank, { time: t0 });
    const b = await world.simulate('transfer:record', item('fund', 'ent2', 1, 'I-2'), as.bank, { time: t0 });
    expect(world.peer.commitBlock([a, b])).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
  });
});
