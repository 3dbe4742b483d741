// Each typology on small graphs: the pattern it names, and a look-alike it must leave alone. These are the fast
// detectors, which judge a transfer as it comes; the slow patterns of one-off payments are in oneoff.test.ts.
import { Engine } from '../engine';
import { DEFAULT_PARAMETERS } from '../parameters';
import { DAY, HOUR } from '@regchain/common';
import { type Transfer, type Typology } from '../transfer';

const T = DEFAULT_PARAMETERS.threshold;
const T0 = Date.UTC(2026, 5, 1) / 1000;

/** Transfers from [from, to, amount in fen, hours after T0]; ids in order. */
function flows(rows: readonly (readonly [string, string, number, number])[]): Transfer[] {
  return rows
    .map(([from, to, amount, hours], i) => ({ id: `t${i}`, from, to, amount: Math.round(amount), executedAt: T0 + Math.round(hours * HOUR) }))
    .sort((a, b) => a.executedAt - b.executedAt);
}

function alertsOf(typology: Typology, transfers: readonly Transfer[]): { transfers: string[]; accounts: string[] }[] {
  const engine = new Engine(DEFAULT_PARAMETERS, [typology], 'now');
  for (const t of transfers) engine.observe(t);
  engine.flush();
  return engine.alerts().map((a) => ({ transfers: a.transfers.map((t) => t.id), accounts: a.accounts }));
}

/** A busy business: a payment in or out every few hours over the week before `hours`. */
const busy = (account: string, before: number): [string, string, number, number][] =>
  Array.from(
    { length: 12 },
    (_v, i) => [i % 2 ? account : `client${i}`, i % 2 ? `vendor${i}` : account, 300_000, before - 150 + i * 12] as [string, string, number, number],
  );

describe('fan-out', () => {
  it('flags a sum split over five new payees soon after one payer provided it', () => {
    const rows = flows([['src', 'hub', 10 * T, 0], ...Array.from({ length: 5 }, (_v, i) => ['hub', `m${i}`, 1.96 * T, 2 + i] as const)]);
    const [alert] = alertsOf('fan-out', rows);
    expect(alert?.transfers).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  });

  it('leaves payroll alone: an employer trading every day pays its staff out of many customers’ money', () => {
    const rows = flows([
      ...busy('employer', 0),
      ['client-a', 'employer', 5 * T, -2],
      ['client-b', 'employer', 5 * T, -1],
      ...Array.from({ length: 20 }, (_v, i) => ['employer', `staff${i}`, 0.5 * T, 1 + i * 0.1] as const),
    ]);
    expect(alertsOf('fan-out', rows)).toEqual([]);
  });

  it('does not count payments to a biller many others pay', () => {
    const rows = flows([
      ['src', 'hub', 2 * T, 0],
      ...Array.from({ length: 4 }, (_v, i) => ['hub', 'power-co', 0.45 * T, 1 + i] as const),
      ...Array.from({ length: 5 }, (_v, i) => [`household${i}`, 'power-co', 10_000, 2] as const),
      ['hub', 'friend', 0.2 * T, 6],
    ]);
    expect(alertsOf('fan-out', rows)).toEqual([]);
  });
});

describe('fan-in', () => {
  it('flags many payers into one account that passes the sum on', () => {
    const rows = flows([...Array.from({ length: 6 }, (_v, i) => [`p${i}`, 'hub', T, i] as const), ['hub', 'out', 5.9 * T, 20]]);
    expect(alertsOf('fan-in', rows)[0]?.transfers).toHaveLength(7);
  });

  it('leaves a merchant alone: many customers, then a supplier paid more than they brought', () => {
    const rows = flows([...Array.from({ length: 6 }, (_v, i) => [`c${i}`, 'shop', T, i] as const), ['shop', 'supplier', 20 * T, 20]]);
    expect(alertsOf('fan-in', rows)).toEqual([]);
  });
});

describe('cycle', () => {
  it('flags money coming back through four accounts within days, each hop a little less', () => {
    const rows = flows([
      ['a', 'b', 2 * T, 0],
      ['b', 'c', 1.95 * T, 5],
      ['c', 'd', 1.9 * T, 10],
      ['d', 'a', 1.86 * T, 15],
    ]);
    expect(alertsOf('cycle', rows)[0]).toEqual({ transfers: ['t0', 't1', 't2', 't3'], accounts: ['a', 'b', 'c', 'd'] });
  });

  it('leaves invoices settled both ways alone: weeks apart, other sums', () => {
    const rows = flows([
      ['a', 'b', 3 * T, 0],
      ['b', 'a', 1.2 * T, 20 * 24],
    ]);
    expect(alertsOf('cycle', rows)).toEqual([]);
  });

  it('needs each hop after the one before', () => {
    const rows = flows([
      ['b', 'c', 1.95 * T, 0],
      ['a', 'b', 2 * T, 5],
      ['c', 'a', 1.9 * T, 10],
    ]);
    expect(alertsOf('cycle', rows)).toEqual([]);
  });
});

describe('scatter-gather and gather-scatter', () => {
  it('flags a source split over three accounts that all pay one destination', () => {
    const rows = flows(['m1', 'm2', 'm3'].flatMap((m, i) => [['src', m, T, i] as const, [m, 'dst', 0.97 * T, 10 + i] as const]));
    expect(alertsOf('scatter-gather', rows)[0]?.transfers).toHaveLength(6);
  });

  it('leaves three customers of one shop alone when the shop did not pay them first', () => {
    const rows = flows([
      ...['m1', 'm2', 'm3'].map((m, i) => ['bank', m, T, i] as const),
      ...['m1', 'm2', 'm3'].map((m, i) => [m, 'dst', 0.3 * T, 10 + i] as const),
    ]);
    expect(alertsOf('scatter-gather', rows)).toEqual([]);
  });

  it('flags a quiet hub that gathers from three and pays three', () => {
    const rows = flows([
      ...['s1', 's2', 's3'].map((s, i) => [s, 'hub', T, i] as const),
      ...['d1', 'd2', 'd3'].map((d, i) => ['hub', d, 0.98 * T, 20 + i] as const),
    ]);
    expect(alertsOf('gather-scatter', rows)[0]?.transfers).toHaveLength(6);
  });

  it('leaves a busy business alone that happens to pay out what came in', () => {
    const rows = flows([
      ...busy('firm', 0),
      ...['s1', 's2', 's3'].map((s, i) => [s, 'firm', T, i] as const),
      ...['d1', 'd2', 'd3'].map((d, i) => ['firm', d, 0.98 * T, 20 + i] as const),
    ]);
    expect(alertsOf('gather-scatter', rows)).toEqual([]);
  });
});

describe('bipartite and stacked layering', () => {
  const block = (xs: string[], ys: string[], at: number): [string, string, number, number][] =>
    xs.flatMap((x, i) => ys.map((y, j) => [x, y, 0.4 * T, at + i + j * 0.5] as [string, string, number, number]));

  it('flags three payers each paying the same three payees large sums', () => {
    expect(alertsOf('bipartite', flows(block(['x1', 'x2', 'x3'], ['y1', 'y2', 'y3'], 0)))[0]?.transfers).toHaveLength(9);
  });

  it('leaves households paying the same billers alone: small sums, and billers many others pay', () => {
    const bills = flows([
      ...block(['h1', 'h2', 'h3'], ['power', 'water', 'phone'], 0).map(([x, y, , h]) => [x, y, 0.04 * T, h] as [string, string, number, number]),
      ...Array.from({ length: 8 }, (_v, i) => [`firm${i}`, 'power', 0.5 * T, 3 * 24 + i] as [string, string, number, number]),
    ]);
    expect(alertsOf('bipartite', bills)).toEqual([]);
  });

  it('flags a layer paid as a block that pays the next layer as a block', () => {
    const rows = flows([...block(['a1', 'a2', 'a3'], ['b1', 'b2', 'b3'], 0), ...block(['b1', 'b2', 'b3'], ['c1', 'c2', 'c3'], 20)]);
    expect(alertsOf('stacked-layering', rows)[0]?.transfers).toHaveLength(18);
  });

  it('does not stack a single block', () => {
    expect(alertsOf('stacked-layering', flows(block(['x1', 'x2', 'x3'], ['y1', 'y2', 'y3'], 0)))).toEqual([]);
  });
});

describe('structuring and smurfing', () => {
  it('flags one payer splitting a sum into three payments just under the threshold within a day', () => {
    const rows = flows([0, 3, 7].map((h) => ['payer', 'payee', 0.95 * T, h] as const));
    expect(alertsOf('structuring', rows)[0]?.transfers).toEqual(['t0', 't1', 't2']);
  });

  it('leaves a single payment near the threshold alone, and payments just over it', () => {
    expect(alertsOf('structuring', flows([['payer', 'dealer', 0.99 * T, 0]]))).toEqual([]);
    expect(alertsOf('structuring', flows([0, 3, 7].map((h) => ['payer', 'payee', 1.01 * T, h] as const)))).toEqual([]);
  });

  it('leaves the same payments spread over days alone', () => {
    expect(alertsOf('structuring', flows([0, 30, 60].map((h) => ['payer', 'payee', 0.95 * T, h] as const)))).toEqual([]);
  });

  it('flags five payers each paying one payee just under the threshold within a day', () => {
    const rows = flows(Array.from({ length: 5 }, (_v, i) => [`s${i}`, 'collector', 0.9 * T, i] as const));
    expect(alertsOf('smurfing', rows)[0]?.transfers).toHaveLength(5);
  });

  it('leaves five customers of a shop alone when their payments are ordinary sums', () => {
    expect(alertsOf('smurfing', flows(Array.from({ length: 5 }, (_v, i) => [`c${i}`, 'shop', 0.3 * T, i] as const)))).toEqual([]);
  });
});

describe('rapid pass-through and dormant activation', () => {
  it('flags a large inflow that mostly leaves within hours', () => {
    const rows = flows([
      ['src', 'conduit', 3 * T, 0],
      ['conduit', 'dst', 2.85 * T, 5],
    ]);
    expect(alertsOf('rapid-pass-through', rows)[0]?.transfers).toEqual(['t0', 't1']);
  });

  it('leaves slow onward payments alone', () => {
    const rows = flows([['src', 'holder', 3 * T, 0], ...[3, 8, 13, 18].map((d) => ['holder', `s${d}`, 0.7 * T, d * 24] as const)]);
    expect(alertsOf('rapid-pass-through', rows)).toEqual([]);
  });

  it('flags an account silent for months that moves a large sum on waking', () => {
    const rows = flows([
      ['sleeper', 'shop', 20_000, 0],
      ['src', 'sleeper', 2 * T, (120 * DAY) / HOUR],
      ['sleeper', 'dst', 1.9 * T, (120 * DAY) / HOUR + 30],
    ]);
    expect(alertsOf('dormant-activation', rows)[0]?.transfers).toEqual(['t1', 't2']);
  });

  it('is not woken by a trickle: 1 fen reported back-dated eight days, before or after the real movement', () => {
    const rows = flows([
      ['sleeper', 'shop', 2 * T, 0],
      ['src', 'sleeper', 1, (112 * DAY) / HOUR],
      ['src', 'sleeper', 2 * T, (120 * DAY) / HOUR],
      ['sleeper', 'dst', 1.9 * T, (120 * DAY) / HOUR + 30],
    ]);
    expect(alertsOf('dormant-activation', rows)[0]?.transfers).toEqual(['t2', 't3']);
    // The trickle reported last, as a late report: the same alert.
    const late = [...rows.filter((t) => t.id !== 't1'), rows.find((t) => t.id === 't1') as Transfer];
    expect(alertsOf('dormant-activation', late)[0]?.transfers).toEqual(['t2', 't3']);
  });

  it('leaves an account alone that wakes with small sums, or was never silent', () => {
    const small = flows([
      ['sleeper', 'shop', 20_000, 0],
      ['sleeper', 'shop', 30_000, (120 * DAY) / HOUR],
    ]);
    expect(alertsOf('dormant-activation', small)).toEqual([]);
    const active = flows([
      ['worker', 'shop', 20_000, 0],
      ['worker', 'shop', 20_000, (30 * DAY) / HOUR],
      ['src', 'worker', 2 * T, (60 * DAY) / HOUR],
    ]);
    expect(alertsOf('dormant-activation', active)).toEqual([]);
  });
});
