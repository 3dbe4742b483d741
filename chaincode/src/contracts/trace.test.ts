// Traces through the contract: forward and backward from accounts and transfers, paginated, bounded.
import { as, BANK, ENT1, ENT2, World } from '../test/fixtures';

interface TraceOut {
  edges: { transferId: string; from: string; to: string; hop: number; amount: number }[];
  nodes: { account: string; hop: number }[];
  totalEdges: number;
  truncated: boolean;
  bookmark: string;
  reads: number;
}

async function chain(): Promise<{ world: World; ids: string[] }> {
  const world = new World();
  await world.call(
    'project:create',
    {
      projectId: 'p1',
      name: 'p',
      type: 'public_fund',
      ownerEntityId: BANK,
      fundHolderBankId: BANK,
      budgets: [
        { purpose: 'construction', amount: 10_000 },
        { purpose: 'materials', amount: 10_000 },
      ],
    },
    as.regulator,
  );
  await world.call('account:open', { accountId: 'fund', ownerEntityId: BANK, name: 'f', projectId: 'p1' }, as.bank);
  for (const [id, owner] of [
    ['a', ENT1],
    ['b', ENT2],
    ['c', ENT1],
    ['d', ENT2],
    ['e', ENT1],
    ['f', ENT2],
  ] as const) {
    await world.call('account:open', { accountId: id, ownerEntityId: owner, name: id }, as.bank);
  }
  const ids: string[] = [];
  const move = async (from: string, to: string, amount: number, purpose = 'goods'): Promise<void> => {
    ids.push(
      (
        await world.call<{ transferId: string }>(
          'transfer:record',
          { fromAccount: from, toAccount: to, amount, currency: 'CNY', purpose, reference: '' },
          as.bank,
        )
      ).transferId,
    );
  };
  await move('fund', 'a', 5000, 'construction');
  await move('fund', 'b', 3000, 'materials');
  await move('a', 'c', 4000);
  await move('c', 'd', 3500);
  await move('d', 'e', 3000);
  await move('e', 'f', 2500);
  await move('f', 'a', 2000);
  return { world, ids };
}

describe('trace contract', () => {
  it('follows money forward five hops through a cycle', async () => {
    const { world } = await chain();
    const r = await world.call<TraceOut>('trace:flows', { accountId: 'a', direction: 'forward', depth: 5 }, as.regulator);
    expect(r.edges.map((e) => `${e.from}>${e.to}@${e.hop}`)).toEqual(['a>c@1', 'c>d@2', 'd>e@3', 'e>f@4', 'f>a@5']);
    expect(r.truncated).toBe(false);
    expect(r.reads).toBe(5);
  });

  it('traces a transfer backward to the project fund', async () => {
    const { world, ids } = await chain();
    const r = await world.call<TraceOut & { origin: { transferId: string } }>(
      'trace:flows',
      { transferId: ids[4], direction: 'backward', depth: 5 },
      as.auditor,
    );
    expect(r.origin.transferId).toBe(ids[4]);
    expect(r.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['c>d', 'a>c', 'fund>a']);
  });

  it('pages through a trace and flags one cut by its bounds', async () => {
    const { world } = await chain();
    const first = await world.call<TraceOut>('trace:flows', { accountId: 'fund', direction: 'forward', depth: 6, pageSize: 3 }, as.bank);
    expect(first.edges).toHaveLength(3);
    expect(first.totalEdges).toBe(7);
    const rest = await world.call<TraceOut>(
      'trace:flows',
      { accountId: 'fund', direction: 'forward', depth: 6, pageSize: 10, bookmark: first.bookmark },
      as.bank,
    );
    expect(rest.edges).toHaveLength(4);
    expect(rest.bookmark).toBe('');
    const cut = await world.call<TraceOut>('trace:flows', { accountId: 'fund', direction: 'forward', depth: 6, maxEdges: 4 }, as.bank);
    expect(cut).toMatchObject({ truncated: true, totalEdges: 4 });
  });

  it('keeps to the time window', async () => {
    const { world } = await chain();
    const r = await world.call<TraceOut>('trace:flows', { accountId: 'fund', direction: 'forward', depth: 6, toTime: '2000-01-01T00:00:00Z' }, as.bank);
    expect(r.edges).toEqual([]);
  });

  it("says where a project's money went, by purpose", async () => {
    const { world } = await chain();
    const r = await world.call<{ spentByPurpose: unknown[]; downstreamByPurpose: unknown[] }>(
      'trace:projectFlows',
      { projectId: 'p1', depth: 2 },
      as.regulator,
    );
    expect(r.spentByPurpose).toEqual([
      { purpose: 'construction', amount: 5000, transfers: 1 },
      { purpose: 'materials', amount: 3000, transfers: 1 },
    ]);
    expect(r.downstreamByPurpose).toEqual([{ purpose: 'goods', amount: 4000, transfers: 1 }]);
  });

  it('refuses a trace with neither or both starts', async () => {
    const { world, ids } = await chain();
    await world.refuses('VALIDATION_FAILED', 'trace:flows', { direction: 'forward' }, as.bank);
    await world.refuses('VALIDATION_FAILED', 'trace:flows', { accountId: 'a', transferId: ids[0], direction: 'forward' }, as.bank);
    await world.refuses('VALIDATION_FAILED', 'trace:flows', { accountId: 'a', direction: 'sideways' }, as.bank);
    await world.refuses('VALIDATION_FAILED', 'trace:flows', { accountId: 'a', direction: 'forward', depth: 11 }, as.bank);
  });
});
