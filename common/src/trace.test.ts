// The trace walker on graphs with cycles, time order and bounds.
import { type Direction, type Edge, sumByPurpose, walk } from './trace';

const e = (transferId: string, from: string, to: string, time: number, amount = 100, purpose = 'goods'): Edge => ({
  transferId,
  from,
  to,
  amount,
  purpose,
  projectId: '',
  time,
});

function source(edges: readonly Edge[]) {
  let calls = 0;
  const fn = async (account: string, direction: Direction, from: number, to: number): Promise<Edge[]> => {
    calls += 1;
    return edges.filter((x) => (direction === 'forward' ? x.from : x.to) === account && x.time >= from && x.time <= to);
  };
  return { fn, calls: () => calls };
}

const limits = { depth: 5, fromTime: 0, toTime: 1000, maxNodes: 100, maxEdges: 100 };

describe('walk', () => {
  it('follows money forward hop by hop and stops at a cycle', async () => {
    const graph = [e('t1', 'A', 'B', 10), e('t2', 'B', 'C', 20), e('t3', 'C', 'A', 30), e('t4', 'A', 'D', 40)];
    const r = await walk('A', 'forward', limits, source(graph).fn);
    expect(r.edges.map((x) => [x.transferId, x.hop])).toEqual([
      ['t1', 1],
      ['t4', 1],
      ['t2', 2],
      ['t3', 3],
    ]);
    expect(r.nodes.map((n) => n.account).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(r.truncated).toBe(false);
  });

  it('does not follow money out of an account before it arrived', async () => {
    const graph = [e('early', 'B', 'X', 5), e('in', 'A', 'B', 10), e('late', 'B', 'Y', 15)];
    const r = await walk('A', 'forward', limits, source(graph).fn);
    expect(r.edges.map((x) => x.transferId)).toEqual(['in', 'late']);
  });

  it('traces backward to the sources of funds', async () => {
    const graph = [e('t1', 'S1', 'M', 10), e('t2', 'S2', 'M', 11), e('t3', 'M', 'T', 20), e('t4', 'S0', 'S1', 5)];
    const r = await walk('T', 'backward', limits, source(graph).fn);
    expect(r.edges.map((x) => [x.transferId, x.hop])).toEqual([
      ['t3', 1],
      ['t1', 2],
      ['t2', 2],
      ['t4', 3],
    ]);
  });

  it('backward, follows an account from the latest time money left it, not the first', async () => {
    // C paid D twice; the later payment (t3) can carry what B paid C in between (t2).
    const graph = [e('t0', 'C', 'D', 1), e('t1', 'A', 'B', 2), e('t2', 'B', 'C', 3), e('t3', 'C', 'D', 4)];
    const r = await walk('D', 'backward', limits, source(graph).fn);
    expect(r.edges.map((x) => x.transferId).sort()).toEqual(['t0', 't1', 't2', 't3']);
    // Forward from B, C is followed from when money first reached it: only t3 leaves after t2.
    const f = await walk('B', 'forward', limits, source(graph).fn);
    expect(f.edges.map((x) => x.transferId)).toEqual(['t2', 't3']);
  });

  it('stops at the requested depth', async () => {
    const chain = Array.from({ length: 10 }, (_, i) => e(`t${i}`, `N${i}`, `N${i + 1}`, i + 1));
    const r = await walk('N0', 'forward', { ...limits, depth: 5 }, source(chain).fn);
    expect(r.edges).toHaveLength(5);
    expect(r.truncated).toBe(false);
  });

  it('flags a walk cut by maxEdges or maxNodes', async () => {
    const star = Array.from({ length: 50 }, (_, i) => e(`t${String(i).padStart(2, '0')}`, 'HUB', `L${i}`, i + 1));
    const byEdges = await walk('HUB', 'forward', { ...limits, maxEdges: 10 }, source(star).fn);
    expect(byEdges.edges).toHaveLength(10);
    expect(byEdges.truncated).toBe(true);
    const byNodes = await walk('HUB', 'forward', { ...limits, maxNodes: 5 }, source(star).fn);
    expect(byNodes.nodes).toHaveLength(5);
    expect(byNodes.truncated).toBe(true);
  });

  it('reads the ledger once per account expanded, even on dense cycles', async () => {
    const accounts = ['A', 'B', 'C', 'D'];
    let t = 0;
    const complete = accounts.flatMap((a) => accounts.filter((b) => b !== a).map((b) => e(`${a}${b}`, a, b, (t += 1))));
    const s = source(complete);
    const r = await walk('A', 'forward', { ...limits, fromTime: 0 }, s.fn);
    expect(s.calls()).toBe(r.reads);
    expect(r.reads).toBeLessThanOrEqual(accounts.length);
  });

  it('sums by purpose, largest first', () => {
    expect(sumByPurpose([e('1', 'a', 'b', 1, 50, 'x'), e('2', 'a', 'b', 1, 70, 'y'), e('3', 'a', 'b', 1, 30, 'x')])).toEqual([
      { purpose: 'x', amount: 80, transfers: 2 },
      { purpose: 'y', amount: 70, transfers: 1 },
    ]);
  });
});
