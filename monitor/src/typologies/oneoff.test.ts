// The slow patterns on small graphs: fans and rings of one-off payments spread over weeks or months, and the
// look-alikes they must leave alone (relationships that recur, accounts that deal with the public), with the
// conditions an alert gives as its reasons.
import { Engine } from '../engine';
import { DEFAULT_PARAMETERS, type Parameters } from '../parameters';
import { DAY } from '@regchain/common';
import { type Transfer, type Typology } from '../transfer';

const T0 = Date.UTC(2025, 0, 1) / 1000;
const P: Parameters = DEFAULT_PARAMETERS;

/** Transfers from [from, to, amount in fen, days after T0]; ids in order. */
function flows(rows: readonly (readonly [string, string, number, number])[]): Transfer[] {
  return rows
    .map(([from, to, amount, days], i) => ({ id: `t${i}`, from, to, amount, executedAt: T0 + Math.round(days * DAY) }))
    .sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
}

function alertsOf(typology: Typology, transfers: readonly Transfer[]) {
  const engine = new Engine(P, [typology], 'later');
  for (const t of transfers) engine.observe(t);
  engine.flush();
  return engine.alerts();
}

/** An account with settled habits: two customers pay it and it pays two suppliers, every week, for a year and a half. */
const settled = (account: string, until: number): [string, string, number, number][] =>
  Array.from({ length: Math.floor(until / 7) }, (_v, w) => [
    [`${account}-customer1`, account, 800_000, w * 7 + 1] as [string, string, number, number],
    [`${account}-customer2`, account, 500_000, w * 7 + 2] as [string, string, number, number],
    [account, `${account}-supplier1`, 300_000, w * 7 + 3] as [string, string, number, number],
    [account, `${account}-supplier2`, 200_000, w * 7 + 4] as [string, string, number, number],
  ]).flat();

const n = P.fanIn.oneOffMinCounterparties + 2;

describe('slow fan-in', () => {
  const fan = Array.from({ length: n }, (_v, i) => [`payer${i}`, 'hub', 45_000 + i * 1000, 400 + i * 20] as [string, string, number, number]);

  it('flags one-off payments from several new payers, spread over months, into an account of settled habits', () => {
    const [alert, ...rest] = alertsOf('fan-in', flows([...settled('hub', 540), ...fan]));
    expect(rest).toEqual([]);
    expect(alert?.transfers.map((t) => t.from).sort()).toEqual(fan.map(([from]) => from).sort());
    expect(alert?.conditions).toContainEqual({ name: 'one-off-payers', value: n, limit: P.fanIn.oneOffMinCounterparties });
  });

  it('leaves payers alone who pay again within the repeat window: a relationship, not a one-off', () => {
    const again = fan.map(([from, to, amount, day]) => [from, to, amount, day + P.oneOff.repeatWindow / DAY - 5] as [string, string, number, number]);
    expect(alertsOf('fan-in', flows([...settled('hub', 540), ...fan, ...again]))).toEqual([]);
  });

  it('leaves payers alone who paid it within the memory before: an old relationship taken up again', () => {
    // Each paid it every month for a year, and then not for four months.
    const before = fan.flatMap(([from, to, amount, day]) =>
      Array.from({ length: 12 }, (_v, m) => [from, to, amount, day - P.oneOff.repeatWindow / DAY - 30 - m * 30] as [string, string, number, number]),
    );
    expect(alertsOf('fan-in', flows([...settled('hub', 540), ...before, ...fan]))).toEqual([]);
  });

  it('leaves a shop alone: paid once each by many shoppers, by habit', () => {
    const shoppers = Array.from({ length: 270 }, (_v, i) => [`shopper${i}`, 'hub', 5_000, i * 2] as [string, string, number, number]);
    expect(alertsOf('fan-in', flows([...settled('hub', 540), ...shoppers, ...fan]))).toEqual([]);
  });
});

describe('slow fan-out', () => {
  const fan = Array.from(
    { length: P.fanOut.oneOffMinCounterparties + 1 },
    (_v, i) => ['hub', `payee${i}`, 60_000, 400 + i * 25] as [string, string, number, number],
  );

  it('flags one-off payments to several new payees spread over months', () => {
    const [alert] = alertsOf('fan-out', flows([...settled('hub', 540), ...fan]));
    expect(alert?.transfers.map((t) => t.to).sort()).toEqual(fan.map(([, to]) => to).sort());
    expect(alert?.conditions.map((c) => c.name)).toEqual(
      expect.arrayContaining(['one-off-payees', 'spread-days', 'relationship-new-for-days', 'not-repeated-for-days']),
    );
  });

  it('leaves payroll alone: the same staff are paid every month', () => {
    const payroll = [0, 30, 60].flatMap((m) => fan.map(([from, to, amount, day]) => [from, to, amount, day + m] as [string, string, number, number]));
    expect(alertsOf('fan-out', flows([...settled('hub', 540), ...payroll]))).toEqual([]);
  });
});

describe('slow ring', () => {
  // Five accounts pay the next once, in a shuffled order over ten days, for unrelated sums.
  const ring = ['a', 'b', 'c', 'd', 'e'];
  const order = [3, 0, 4, 1, 2];
  const hops = order.map(
    (i, k) => [ring[i] as string, ring[(i + 1) % ring.length] as string, 20_000 + 37_000 * k, 400 + k * 2.5] as [string, string, number, number],
  );
  const habits = ring.flatMap((a) => settled(a, 540));

  it('flags a closed ring of one-off payments in any order and for any sums', () => {
    const [alert, ...rest] = alertsOf('cycle', flows([...habits, ...hops]));
    expect(rest).toEqual([]);
    expect(alert?.transfers).toHaveLength(ring.length);
    expect(alert?.conditions[0]).toEqual({ name: 'ring-accounts', value: ring.length, limit: P.cycle.minLength });
  });

  it('flags a ring still open (hops still to come) once enough payments are passed on', () => {
    const open = hops.filter(([from]) => from !== 'e');
    const [alert] = alertsOf('cycle', flows([...habits, ...open]));
    expect(alert?.conditions[0]?.name).toBe('open-ring-payments');
    expect(alert?.transfers.length).toBeGreaterThanOrEqual(P.cycle.oneOffMinHops);
  });

  it('leaves companies alone that settle with each other every month', () => {
    const monthly = [0, 30, 60].flatMap((m) => hops.map(([from, to, amount, day]) => [from, to, amount, day + m] as [string, string, number, number]));
    expect(alertsOf('cycle', flows([...habits, ...monthly]))).toEqual([]);
  });

  it('leaves one-off payments alone that are spread wider than the ring window', () => {
    const slow = hops.map(([from, to, amount], k) => [from, to, amount, 400 + k * (P.cycle.oneOffWindow / DAY + 1)] as [string, string, number, number]);
    expect(alertsOf('cycle', flows([...habits, ...slow]))).toEqual([]);
  });
});
