// Labelled sets for the detectors: months of ordinary traffic (purchases, supplier payments, payroll, bills,
// invoices settled both ways, slow onward payments, single payments near the threshold, accounts resting and
// waking with small sums) with instances of every typology planted in it, each labelled with its transfers.
// The ordinary traffic holds the look-alikes on purpose: a detector that flags payroll or a merchant loses
// precision here, as it would on a bank's data. Seeded: the same seed gives the same set.
import { REPORTING_THRESHOLD } from './parameters';
import { DAY, HOUR } from '@regchain/common';
import { type Transfer, type Typology } from './transfer';

export interface Label {
  readonly reference: string;
  readonly alertId: string;
  readonly typology: Typology;
}

export interface LabelledSet {
  readonly transfers: Transfer[];
  readonly labels: Label[];
}

export interface SetOptions {
  readonly seed: number;
  /** Days of traffic; dormant accounts need more than 90. */
  readonly days?: number;
  /** Ordinary people; companies, merchants and employers scale with them. */
  readonly people?: number;
  /** Planted instances of each typology. */
  readonly instances?: number;
}

/** The first day of every set (UTC midnight). */
export const SET_START = Date.UTC(2026, 0, 1) / 1000;
const T = REPORTING_THRESHOLD;
const YUAN = 100;

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Builder {
  readonly rows: { from: string; to: string; amount: number; executedAt: number; label?: { alertId: string; typology: Typology } }[] = [];
  readonly #random: () => number;
  #mules = 0;

  constructor(seed: number) {
    this.#random = generator(seed);
  }

  random(): number {
    return this.#random();
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#random() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)] as T;
  }

  /** Distinct picks. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.#random() * pool.length), 1)[0] as T);
    return out;
  }

  /** Amounts in fen, log-uniform between two amounts in yuan. */
  yuan(lo: number, hi: number): number {
    return Math.round(Math.exp(Math.log(lo) + this.#random() * (Math.log(hi) - Math.log(lo))) * YUAN);
  }

  /** A fresh account used for one planted pattern (a mule). */
  mule(): string {
    this.#mules += 1;
    return `6222${String(this.#mules).padStart(12, '0')}`;
  }

  pay(from: string, to: string, amount: number, executedAt: number, label?: { alertId: string; typology: Typology }): void {
    if (from === to) return;
    this.rows.push({ from, to, amount: Math.max(1, Math.round(amount)), executedAt: Math.floor(executedAt), ...(label ? { label } : {}) });
  }
}

const accounts = (prefix: string, n: number): string[] => Array.from({ length: n }, (_v, i) => `${prefix}${String(i).padStart(6, '0')}`);

/** Ordinary traffic, look-alikes included. */
function background(b: Builder, days: number, people: number): void {
  const persons = accounts('P', people);
  const companies = accounts('C', Math.max(20, Math.round(people / 8)));
  const merchants = accounts('M', Math.max(10, Math.round(people / 25)));
  const utilities = accounts('U', 4);
  const employers = companies.slice(0, Math.max(4, Math.round(companies.length / 6)));
  const suppliersOf = new Map(
    companies.map((c) => [
      c,
      b.sample(
        companies.filter((x) => x !== c),
        4,
      ),
    ]),
  );
  const staffOf = new Map(employers.map((e, i) => [e, persons.slice((i * 37) % people, ((i * 37) % people) + b.int(8, 30))]));
  const resting = b.sample(persons, Math.max(5, Math.round(people / 100)));
  const at = (day: number, hourFrom = 8, hourTo = 22): number => SET_START + day * DAY + b.int(hourFrom * HOUR, hourTo * HOUR - 1);

  for (let day = 0; day < days; day += 1) {
    for (const p of persons) {
      if (resting.includes(p) && day > 5 && day < days - 10) continue;
      // Purchases, and now and then money to a friend.
      if (b.random() < 0.35) b.pay(p, b.pick(merchants), b.yuan(20, 2000), at(day));
      if (b.random() < 0.03) b.pay(p, b.pick(persons), b.yuan(100, 5000), at(day));
      // A single large payment near the threshold: a car, a deposit.
      if (b.random() < 0.0015) b.pay(p, b.pick([...companies, ...merchants]), T * (0.8 + 0.19 * b.random()), at(day));
    }
    for (const [i, c] of companies.entries()) {
      // Supplier invoices, some above the threshold.
      if (b.random() < 0.3) b.pay(c, b.pick(suppliersOf.get(c) ?? companies), b.yuan(2000, 150000), at(day, 9, 18));
      // Bills: companies pay the same utilities, every month.
      if (day % 30 === i % 30) for (const u of utilities) b.pay(c, u, b.yuan(3000, 30000), at(day, 9, 18));
    }
    for (const m of merchants) {
      // Merchants take many small payments and pay their suppliers weekly, not what one week brought in.
      if (day % 7 === 6) for (const s of b.sample(companies, b.int(1, 3))) b.pay(m, s, b.yuan(5000, 80000), at(day, 9, 18));
    }
    for (const [employer, staff] of staffOf) {
      // Payroll: many payees, similar sums, paid out of an employer's takings from many customers.
      if (day % 30 === 24) for (const s of staff) b.pay(employer, s, b.yuan(8000, 25000), at(day, 9, 11));
      for (let i = b.int(0, 4); i > 0; i -= 1) b.pay(b.pick([...companies, ...persons]), employer, b.yuan(5000, 120000), at(day, 9, 18));
    }
    // Invoices settled both ways between two companies, weeks apart and for other sums.
    if (b.random() < 0.3) {
      const [x, y] = b.sample(companies, 2) as [string, string];
      const when = at(day, 9, 18);
      b.pay(x, y, b.yuan(50000, 500000), when);
      b.pay(y, x, b.yuan(50000, 500000), when + b.int(12, 40) * DAY);
    }
    // A large sum received and paid on slowly, in pieces over two or three weeks.
    if (b.random() < 0.1) {
      const holder = b.pick(companies);
      const amount = T * (1 + 4 * b.random());
      const when = at(day, 9, 18);
      b.pay(b.pick(companies), holder, amount, when);
      const pieces = b.int(4, 8);
      for (let i = 0; i < pieces; i += 1) b.pay(holder, b.pick(companies), (amount * 0.9) / pieces, when + b.int(3, 21) * DAY);
    }
  }
  // Resting people wake with small sums.
  for (const p of resting) b.pay(p, b.pick(merchants), b.yuan(50, 3000), at(days - 5));
}

type Plant = (b: Builder, start: number, label: { alertId: string; typology: Typology }) => void;

/** One planted instance per typology: each pays through fresh accounts, starting at `start`. */
const PLANTS: Record<Typology, Plant> = {
  'fan-out': (b, start, label) => {
    const source = b.mule();
    const total = T * (2 + 8 * b.random());
    b.pay(b.mule(), source, total, start, label);
    const n = b.int(5, 12);
    for (let i = 0; i < n; i += 1) b.pay(source, b.mule(), (total * 0.98) / n, start + b.int(1, 22) * HOUR, label);
  },
  'fan-in': (b, start, label) => {
    const hub = b.mule();
    const n = b.int(5, 12);
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      const amount = T * (0.2 + b.random());
      total += amount;
      b.pay(b.mule(), hub, amount, start + b.int(0, 20) * HOUR, label);
    }
    const out = b.mule();
    b.pay(hub, out, total * 0.97, start + b.int(22, 60) * HOUR, label);
  },
  cycle: (b, start, label) => {
    const ring = Array.from({ length: b.int(2, 6) }, () => b.mule());
    let amount = T * (1 + 4 * b.random());
    let when = start;
    for (let i = 0; i < ring.length; i += 1) {
      b.pay(ring[i] as string, ring[(i + 1) % ring.length] as string, amount, when, label);
      amount *= 0.97 + 0.02 * b.random();
      when += b.int(1, 20) * HOUR;
    }
  },
  'scatter-gather': (b, start, label) => {
    const source = b.mule();
    const sink = b.mule();
    const n = b.int(3, 8);
    for (let i = 0; i < n; i += 1) {
      const middle = b.mule();
      const amount = T * (0.3 + b.random());
      const when = start + b.int(0, 12) * HOUR;
      b.pay(source, middle, amount, when, label);
      b.pay(middle, sink, amount * (0.95 + 0.04 * b.random()), when + b.int(2, 40) * HOUR, label);
    }
  },
  'gather-scatter': (b, start, label) => {
    const hub = b.mule();
    let total = 0;
    for (let i = b.int(3, 8); i > 0; i -= 1) {
      const amount = T * (0.3 + b.random());
      total += amount;
      b.pay(b.mule(), hub, amount, start + b.int(0, 12) * HOUR, label);
    }
    const n = b.int(3, 8);
    for (let i = 0; i < n; i += 1) b.pay(hub, b.mule(), (total * 0.97) / n, start + b.int(14, 60) * HOUR, label);
  },
  bipartite: (b, start, label) => {
    const payers = Array.from({ length: b.int(3, 5) }, () => b.mule());
    const payees = Array.from({ length: b.int(3, 5) }, () => b.mule());
    for (const x of payers) for (const y of payees) b.pay(x, y, T * (0.2 + 0.4 * b.random()), start + b.int(0, 20) * HOUR, label);
  },
  'stacked-layering': (b, start, label) => {
    const layers = [0, 1, 2].map(() => Array.from({ length: b.int(3, 4) }, () => b.mule()));
    for (let l = 0; l < 2; l += 1) {
      for (const x of layers[l] as string[]) {
        for (const y of layers[l + 1] as string[]) b.pay(x, y, T * (0.2 + 0.3 * b.random()), start + l * 20 * HOUR + b.int(0, 16) * HOUR, label);
      }
    }
  },
  structuring: (b, start, label) => {
    const payer = b.mule();
    const payees = [b.mule(), b.mule()];
    for (let i = b.int(3, 6); i > 0; i -= 1) b.pay(payer, b.pick(payees), T * (0.82 + 0.17 * b.random()), start + b.int(0, 20) * HOUR, label);
  },
  smurfing: (b, start, label) => {
    const payee = b.mule();
    for (let i = b.int(5, 10); i > 0; i -= 1) b.pay(b.mule(), payee, T * (0.82 + 0.17 * b.random()), start + b.int(0, 20) * HOUR, label);
  },
  'rapid-pass-through': (b, start, label) => {
    const through = b.mule();
    const amount = T * (1 + 5 * b.random());
    b.pay(b.mule(), through, amount, start, label);
    const pieces = b.int(1, 3);
    for (let i = 0; i < pieces; i += 1) b.pay(through, b.mule(), (amount * (0.92 + 0.07 * b.random())) / pieces, start + b.int(1, 20) * HOUR, label);
  },
  'dormant-activation': (b, start, label) => {
    const sleeper = b.mule();
    // Active once, long before; then silent for over 100 days.
    b.pay(sleeper, b.mule(), b.yuan(100, 1000), start - b.int(100, 110) * DAY);
    const amount = T * (1 + 3 * b.random());
    b.pay(b.mule(), sleeper, amount, start, label);
    b.pay(sleeper, b.mule(), amount * 0.95, start + b.int(1, 72) * HOUR, label);
  },
};

/** A labelled set: transfers sorted by business time with references T0000001…, and the labels of the planted ones. */
export function labelledSet(options: SetOptions): LabelledSet {
  const days = options.days ?? 150;
  const b = new Builder(options.seed);
  background(b, days, options.people ?? 1000);
  const instances = options.instances ?? 20;
  let n = 0;
  for (const typology of Object.keys(PLANTS) as Typology[]) {
    for (let i = 0; i < instances; i += 1) {
      n += 1;
      // Spread over the last two thirds (dormant accounts need their quiet months before).
      const start = SET_START + Math.floor(days * DAY * (0.72 + 0.25 * b.random()));
      (PLANTS[typology] as Plant)(b, start, { alertId: `A${String(n).padStart(4, '0')}`, typology });
    }
  }
  const rows = b.rows.sort((x, y) => x.executedAt - y.executedAt);
  const transfers: Transfer[] = [];
  const labels: Label[] = [];
  rows.forEach((r, i) => {
    const id = `T${String(i + 1).padStart(7, '0')}`;
    transfers.push({ id, from: r.from, to: r.to, amount: r.amount, executedAt: r.executedAt });
    if (r.label) labels.push({ reference: id, ...r.label });
  });
  return { transfers, labels };
}
