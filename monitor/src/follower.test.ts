// The monitor over a stream of committed transactions: an alert raised once per pattern, a restart mid-stream
// that loses and repeats nothing, a chain that is unreachable for a while. On PGlite, and on PostgreSQL when
// REGCHAIN_MONITOR_DATABASE_URL names one (the test command starts one where PostgreSQL is installed).
import type { DomainEvent } from '@regchain/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Committed, type EventSource, Monitor } from './follower';
import { DEFAULT_PARAMETERS } from './parameters';
import { type Checkpoint, Store } from './store';
import { traceFromIndex } from './queries';
import { labelledSet } from './synthetic';

/** A small set, grouped as a chain would commit it: a few transactions a block, a few transfers each, and blocks of other kinds between. */
function chain(): Committed[] {
  const set = labelledSet({ seed: 11, days: 20, people: 150, instances: 2 });
  const blocks: Committed[] = [];
  let block = 5n;
  for (let i = 0; i < set.transfers.length; i += 12) {
    const transactions = [0, 3, 6, 9]
      .map((j) => set.transfers.slice(i + j, i + j + 3))
      .filter((ts) => ts.length > 0)
      .map((ts, j) => ({
        txId: `tx${i}-${j}`,
        events: ts.map((t): DomainEvent => ({
          type: 'TransferRecorded',
          transferId: t.id,
          from: t.from,
          to: t.to,
          amount: t.amount,
          purpose: 'general',
          projectId: '',
          executedAt: new Date(t.executedAt * 1000).toISOString(),
        })),
      }));
    blocks.push({ block, transactions });
    block += 1n;
    if (i % 120 === 0) blocks.push({ block: (block += 1n) - 1n, transactions: [] });
  }
  return blocks;
}

/**
 * Delivers the blocks after a checkpoint's, as fabric-gateway does from a start block; stops after `limit` if
 * given. `pace`: awaited before each block, so blocks come no faster than it allows.
 */
function source(blocks: readonly Committed[], limit = Number.POSITIVE_INFINITY, pace?: () => Promise<void>): EventSource {
  return {
    async *follow(after: Checkpoint | undefined, signal: AbortSignal) {
      let sent = 0;
      for (const b of blocks) {
        if (after && b.block <= after.block) continue;
        if (signal.aborted || sent >= limit) return;
        await pace?.();
        sent += 1;
        yield b;
      }
    },
  };
}

// PGlite sets up a database in a few seconds; each test opens one or two.
jest.setTimeout(60_000);

const quiet = { info: () => undefined, warn: () => undefined };
const databases: [string, (dir: string) => Promise<Store>][] = [['PGlite', (dir) => Store.open({ dir })]];
const url = process.env.REGCHAIN_MONITOR_DATABASE_URL;
if (url) databases.push(['PostgreSQL', () => Store.open({ url })]);

describe.each(databases)('the monitor on %s', (_name, open) => {
  let dir: string;
  const txs = chain();
  const total = txs.reduce((n, b) => n + b.transactions.reduce((m, tx) => m + tx.events.length, 0), 0);
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-monitor-'));
    if (url) {
      // A clean schema for each test on a shared server.
      const s = await Store.open({ url });
      await s.reset();
      await s.close();
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /**
   * One run of the monitor over the blocks `events` delivers. With `paced`, each block waits for the raises of the
   * one before: an alert is sealed when its raise goes out, so which evidence it holds depends on how blocks and
   * raises interleave, and a run compared with another must interleave them the same way.
   */
  async function runOnce(
    store: Store,
    events: EventSource | ((pace: () => Promise<void>) => EventSource),
    raised: string[],
    fail = () => false,
  ): Promise<void> {
    const pace = async (): Promise<void> => {
      await monitor.settled();
    };
    const monitor: Monitor = new Monitor({
      store,
      source: typeof events === 'function' ? events(pace) : events,
      parameters: async () => DEFAULT_PARAMETERS,
      log: quiet,
      raise: async (a) => {
        if (fail()) throw new Error('14 UNAVAILABLE: no peer');
        raised.push(a.key);
        return `ALR-${raised.length}`;
      },
    });
    await monitor.run(new AbortController().signal);
  }

  it('indexes every transfer and raises each pattern once', async () => {
    const store = await open(dir);
    const raised: string[] = [];
    await runOnce(store, source(txs), raised);
    const status = await store.status();
    expect(status.transfers).toBe(total);
    expect(status.alertsPending).toBe(0);
    expect(raised.length).toBeGreaterThan(5);
    expect(new Set(raised).size).toBe(raised.length);
    const last = txs[txs.length - 1];
    expect(status.checkpoint).toEqual({ block: last?.block, txId: last?.transactions[last.transactions.length - 1]?.txId ?? '' });
    await store.close();
  });

  it('restarted mid-stream, loses and repeats nothing: the same alerts as one run', async () => {
    const once: string[] = [];
    const reference = await open(path.join(dir, 'one'));
    await runOnce(reference, (pace) => source(txs, undefined, pace), once);
    await reference.close();
    if (url) {
      const s = await Store.open({ url });
      await s.reset();
      await s.close();
    }

    const raised: string[] = [];
    const first = await open(path.join(dir, 'two'));
    await runOnce(first, (pace) => source(txs, Math.floor(txs.length / 2), pace), raised);
    await first.close();
    const second = await open(path.join(dir, 'two'));
    await runOnce(second, (pace) => source(txs, undefined, pace), raised);
    expect((await second.status()).transfers).toBe(total);
    expect(raised.sort()).toEqual(once.sort());
    await second.close();
  });

  it('keeps alerts pending while the chain cannot take them, and raises them later', async () => {
    const store = await open(dir);
    const raised: string[] = [];
    await runOnce(store, source(txs), raised, () => true);
    const pending = (await store.status()).alertsPending;
    expect(pending).toBeGreaterThan(0);
    expect(raised).toEqual([]);
    // Next start: nothing new on the chain, the pending alerts go out.
    await runOnce(store, source(txs), raised);
    expect(raised).toHaveLength(pending);
    expect((await store.status()).alertsPending).toBe(0);
    await store.close();
  });

  it('tries a failed raise again on its own schedule, with no new pattern to prompt it', async () => {
    const store = await open(dir);
    const raised: string[] = [];
    let streaming = true;
    // The chain refuses every raise while blocks arrive; then the stream goes quiet, and nothing new turns up.
    const quietAfter: EventSource = {
      async *follow(after, signal) {
        yield* source(txs).follow(after, signal);
        streaming = false;
        const deadline = Date.now() + 10_000;
        while (raised.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      },
    };
    const monitor = new Monitor({
      store,
      source: quietAfter,
      parameters: async () => DEFAULT_PARAMETERS,
      log: quiet,
      retryMs: 50,
      raise: async (a) => {
        if (streaming) throw new Error('14 UNAVAILABLE: no peer');
        raised.push(a.key);
        return `ALR-${raised.length}`;
      },
    });
    await monitor.run(new AbortController().signal);
    expect(raised.length).toBeGreaterThan(5);
    expect((await store.status()).alertsPending).toBe(0);
    await store.close();
  });

  it('files each transfer recorded later than the credit model allows in its reporter’s file once, across refusals and a restart', async () => {
    const store = await open(dir);
    const day = 86_400;
    const recorded = Date.UTC(2026, 10, 20) / 1000;
    const pay = (id: string, daysLate: number): DomainEvent => ({
      type: 'TransferRecorded',
      transferId: id,
      from: 'A',
      to: 'B',
      amount: 100,
      purpose: 'goods',
      projectId: '',
      executedAt: new Date((recorded - daysLate * day) * 1000).toISOString(),
    });
    const blocks: Committed[] = [
      { block: 1n, transactions: [{ txId: 'a', time: recorded, events: [pay('late-10', 10), pay('timely-3', 3)] }] },
      { block: 2n, transactions: [{ txId: 'b', time: recorded, events: [pay('late-8', 8), pay('exactly-7', 7)] }] },
    ];
    const filed: string[][] = [];
    let refusing = true;
    const late = {
      lateReportDays: async () => 7,
      file: async (transferIds: readonly string[]) => {
        if (refusing) throw new Error('14 UNAVAILABLE: no peer');
        filed.push([...transferIds]);
        return { filed: transferIds.filter((id) => id !== 'late-8'), already: transferIds.filter((id) => id === 'late-8') };
      },
    };
    const run = async (): Promise<void> =>
      new Monitor({ store, source: source(blocks), parameters: async () => DEFAULT_PARAMETERS, log: quiet, raise: async () => 'ALR-1', late }).run(
        new AbortController().signal,
      );
    await run();
    expect(await store.pendingLateReports()).toEqual(['late-10', 'late-8']);
    refusing = false;
    // Restarted: nothing new on the chain, the pending reports go out; a third start files nothing again.
    await run();
    await run();
    expect(filed).toEqual([['late-10', 'late-8']]);
    expect(await store.pendingLateReports()).toEqual([]);
    await store.close();
  });

  it('answers traces and counterparties over the whole history from the index, time order respected', async () => {
    const store = await open(dir);
    const at = (h: number): string => new Date(Date.UTC(2026, 2, 1) + h * 3_600_000).toISOString();
    const pay = (id: string, from: string, to: string, amount: number, h: number): DomainEvent => ({
      type: 'TransferRecorded',
      transferId: id,
      from,
      to,
      amount,
      purpose: 'goods',
      projectId: '',
      executedAt: at(h),
    });
    const blocks: Committed[] = [
      { block: 1n, transactions: [{ txId: 'a', events: [pay('t1', 'A', 'B', 900, 1), pay('t0', 'C', 'D', 50, 0)] }] },
      { block: 2n, transactions: [{ txId: 'b', events: [pay('t2', 'B', 'C', 800, 2), pay('t3', 'C', 'D', 700, 3)] }] },
    ];
    await runOnce(store, source(blocks), []);
    const limits = { depth: 3, fromTime: 0, toTime: 2e9, maxNodes: 100, maxEdges: 100 };
    const forward = await traceFromIndex(store, { start: 'A', direction: 'forward', ...limits });
    // t0 (C → D) happened before money reached C: not part of where A's money went.
    expect(forward.edges.map((e) => [e.transferId, e.hop, e.purpose])).toEqual([
      ['t1', 1, 'goods'],
      ['t2', 2, 'goods'],
      ['t3', 3, 'goods'],
    ]);
    const backward = await traceFromIndex(store, { start: 'D', direction: 'backward', ...limits });
    expect(backward.edges.map((e) => e.transferId).sort()).toEqual(['t0', 't1', 't2', 't3']);
    expect(await store.counterparties('C', 0, 2e9, 10)).toEqual([
      { account: 'B', paid: 0, payments: 0, received: 800, receipts: 1 },
      { account: 'D', paid: 750, payments: 2, received: 0, receipts: 0 },
    ]);
    await store.close();
  });

  it('counts filings, alerts, pattern decisions and transfers over the whole history, day by day', async () => {
    const store = await open(dir);
    const day = (d: number, h = 0): string => new Date(Date.UTC(2026, 2, 1 + d, h)).toISOString();
    const secs = (d: number): number => Date.UTC(2026, 2, 1 + d, 12) / 1000;
    const pay = (id: string, amount: number, d: number, projectId = '', purpose = 'goods'): DomainEvent => ({
      type: 'TransferRecorded',
      transferId: id,
      from: 'A',
      to: 'B',
      amount,
      purpose,
      projectId,
      executedAt: day(d),
    });
    const ev = (type: DomainEvent['type'], fields: Record<string, unknown>): DomainEvent => ({ type, ...fields });
    const blocks: Committed[] = [
      {
        block: 1n,
        transactions: [
          { txId: 'f1', time: secs(0), events: [ev('FilingSubmitted', { filingId: 'F1', entityId: 'E', category: 'finance', status: 'submitted' })] },
          // A ledger from before filing events named category and status.
          { txId: 'f2', time: secs(0), events: [ev('FilingSubmitted', { filingId: 'F2', entityId: 'E' })] },
          { txId: 't1', time: secs(0), events: [pay('t1', 100, 0, 'P1', 'wages'), pay('t2', 250, 0)] },
        ],
      },
      {
        block: 2n,
        transactions: [
          { txId: 'f3', time: secs(1), events: [ev('FilingApproved', { filingId: 'F1', entityId: 'E', status: 'approved', filingNumber: 'N' })] },
          { txId: 't3', time: secs(1), events: [pay('t3', 400, 1), ev('AlertRaised', { alertId: 'A1', ruleId: 'big', severity: 'high', transferId: 't3' })] },
          { txId: 'p1', time: secs(1), events: [ev('AlertRaised', { alertId: 'A2', ruleId: 'pattern.cycle', severity: 'high', transferId: 't3' })] },
          { txId: 'p2', time: secs(1), events: [ev('AlertRaised', { alertId: 'A3', ruleId: 'pattern.cycle', severity: 'high', transferId: 't2' })] },
        ],
      },
      {
        block: 3n,
        transactions: [
          { txId: 'w1', time: secs(3), events: [ev('AlertResolved', { alertId: 'A2', status: 'resolved' })] },
          { txId: 'w2', time: secs(3), events: [ev('AlertMarkedFalsePositive', { alertId: 'A3', status: 'false_positive' })] },
          { txId: 'w3', time: secs(3), events: [ev('AlertAcknowledged', { alertId: 'A1', status: 'acknowledged' })] },
          { txId: 't4', time: secs(3), events: [pay('t4', 1000, 3, 'P1', 'wages')] },
        ],
      },
    ];
    await runOnce(store, source(blocks), []);
    const stats = await store.statistics(3);
    expect(stats.filings).toEqual([
      { status: 'approved', category: 'finance', count: 1 },
      { status: 'submitted', category: '', count: 1 },
    ]);
    expect(stats.alerts).toEqual([
      { ruleId: 'big', severity: 'high', status: 'acknowledged', count: 1 },
      { ruleId: 'pattern.cycle', severity: 'high', status: 'false_positive', count: 1 },
      { ruleId: 'pattern.cycle', severity: 'high', status: 'resolved', count: 1 },
    ]);
    expect(stats.patterns).toEqual([{ typology: 'cycle', alerts: 2, resolved: 1, falsePositives: 1, precision: 0.5 }]);
    expect(stats.transfers).toEqual([
      { projectId: '-', purpose: 'goods', count: 2, amount: 650 },
      { projectId: 'P1', purpose: 'wages', count: 2, amount: 1100 },
    ]);
    // The last 3 days up to the latest transfer (day 3): days 1 and 3; day 2 had nothing, day 0 is before the series.
    expect(stats.daily).toEqual([
      { day: '2026-03-02', transfers: 1, amount: 400, alerts: 3 },
      { day: '2026-03-04', transfers: 1, amount: 1000, alerts: 0 },
    ]);
    await store.close();
  });
});
