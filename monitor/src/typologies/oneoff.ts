// Slow patterns among one-off payments. Business relationships recur: a customer pays its supplier every month,
// an employer its staff. Laundering through fans and rings over weeks or months pays each counterparty once and
// never again. A *surprising* one-off payment is one between a payer and a payee that paid each other nothing in
// the `oneOff.memory` before it and pay nothing in the `oneOff.repeatWindow` after, where neither account deals in one-off payments by habit (a shop
// is paid once by many shoppers; a shopper pays many shops once). These detectors read `repeatWindow` past the
// transfer they judge, so the engine judges them once that much business time has passed (see `Engine`).
import type { Parameters } from '../parameters';
import { DAY } from '@regchain/common';
import { type Hit, type Transfer } from '../transfer';
import type { FlowWindow } from '../window';
import { type Condition, days, type DetectorFactory, hit, scoreOf } from './detector';

/**
 * Whether no other transfer between the same payer and payee falls within `memory` before it or `repeatWindow`
 * after (read only up to `until`, so that what is told of a day does not depend on when it is asked).
 */
export function oneOff(w: FlowWindow, t: Transfer, p: Parameters, until = Number.POSITIVE_INFINITY): boolean {
  return w.paid(t.from, t.to, t.executedAt - p.oneOff.memory, Math.min(until, t.executedAt + p.oneOff.repeatWindow)) === 1;
}

/**
 * What an account's habits are about a day: whether it deals in one-off payments, paying (`out`) or paid (`in`):
 * many counterparties, or one-off payments a good share of its transfers. Read over the `habitWindow` before the
 * day and the `repeatWindow` after it (the slow patterns wait that long anyway, and an account new to the monitor
 * shows its habits then); cached per account, side and day.
 */
export class Habits {
  readonly #cache = new Map<string, boolean>();
  /** Each transfer's one-off answer once its whole repeat window is read, as of the window's revision. */
  readonly #oneOff = new WeakMap<Transfer, { readonly revision: number; readonly value: boolean }>();
  readonly #p: Parameters;

  constructor(p: Parameters) {
    this.#p = p;
  }

  oneOffByHabit(w: FlowWindow, account: string, side: 'out' | 'in', at: number): boolean {
    const day = Math.floor(at / DAY) * DAY;
    const key = `${side}|${day}|${w.revision}|${account}`;
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    const q = this.#p.oneOff;
    // Up to the day's start plus the repeat window: all of it is known when any transfer of the day is judged.
    const [since, until] = [day - q.habitWindow, day + q.repeatWindow];
    const ts = side === 'out' ? w.outOf(account, since, until) : w.into(account, since, until);
    let answer = false;
    if (ts.length >= q.habitMinTransfers) {
      const counterparties = new Set(ts.map((t) => (side === 'out' ? t.to : t.from)));
      answer = counterparties.size >= q.habitCounterparties || ts.filter((t) => this.#oneOffUntil(w, t, until)).length >= ts.length * q.habitOneOffShare;
    }
    if (this.#cache.size > 1_000_000) this.#cache.clear();
    this.#cache.set(key, answer);
    return answer;
  }

  /** `oneOff` read up to `until`, remembered for transfers whose repeat window ends before it. */
  #oneOffUntil(w: FlowWindow, t: Transfer, until: number): boolean {
    if (until < t.executedAt + this.#p.oneOff.repeatWindow) return oneOff(w, t, this.#p, until);
    const known = this.#oneOff.get(t);
    if (known?.revision === w.revision) return known.value;
    const value = oneOff(w, t, this.#p);
    this.#oneOff.set(t, { revision: w.revision, value });
    return value;
  }

  /** Whether an account deals in one-off payments by habit, paying or paid. */
  dealsInOneOffs(w: FlowWindow, account: string, at: number): boolean {
    return this.oneOffByHabit(w, account, 'out', at) || this.oneOffByHabit(w, account, 'in', at);
  }

  /** A one-off payment between two accounts that do not deal in them by habit. */
  surprising(w: FlowWindow, t: Transfer): boolean {
    return this.#oneOffUntil(w, t, Number.POSITIVE_INFINITY) && !this.dealsInOneOffs(w, t.from, t.executedAt) && !this.dealsInOneOffs(w, t.to, t.executedAt);
  }
}

/** One account's habits per window: the slow detectors of one engine share what they read of them. */
const HABITS = new WeakMap<FlowWindow, Habits>();
function habitsOf(w: FlowWindow, p: Parameters): Habits {
  let habits = HABITS.get(w);
  if (!habits) HABITS.set(w, (habits = new Habits(p)));
  return habits;
}

/** The conditions every slow pattern shares: its payments are one-off, between accounts with recurring habits. */
function oneOffConditions(p: Parameters): Condition[] {
  return [
    { name: 'relationship-new-for-days', value: days(p.oneOff.memory), limit: days(p.oneOff.memory) },
    { name: 'not-repeated-for-days', value: days(p.oneOff.repeatWindow), limit: days(p.oneOff.repeatWindow) },
    { name: 'habit-one-off-share-below', value: p.oneOff.habitOneOffShare, limit: p.oneOff.habitOneOffShare },
  ];
}

/**
 * A slow fan: surprising one-off payments between one account and at least `oneOffMinCounterparties` distinct
 * counterparties within `oneOffWindow`, on the side `side` of the hub (`in`: fan-in, `out`: fan-out).
 */
function slowFan(side: 'in' | 'out'): DetectorFactory {
  const typology = side === 'in' ? 'fan-in' : 'fan-out';
  return (p) => {
    const q = side === 'in' ? p.fanIn : p.fanOut;
    return {
      typology,
      lookahead: p.oneOff.repeatWindow,
      observe(t, w): Hit[] {
        const habits = habitsOf(w, p);
        if (!habits.surprising(w, t)) return [];
        const hub = side === 'in' ? t.to : t.from;
        const around = side === 'in' ? w.into(hub, t.executedAt - q.oneOffWindow, t.executedAt) : w.outOf(hub, t.executedAt - q.oneOffWindow, t.executedAt);
        const fan = around.filter((u) => habits.surprising(w, u));
        const counterparties = new Set(fan.map((u) => (side === 'in' ? u.from : u.to)));
        if (counterparties.size < q.oneOffMinCounterparties) return [];
        const first = fan[0] as Transfer;
        const spread = days((fan[fan.length - 1] as Transfer).executedAt - first.executedAt);
        const conditions: Condition[] = [
          { name: side === 'in' ? 'one-off-payers' : 'one-off-payees', value: counterparties.size, limit: q.oneOffMinCounterparties },
          { name: 'spread-days', value: spread, limit: days(q.oneOffWindow) },
          ...oneOffConditions(p),
        ];
        return [hit(typology, hub, first, scoreOf(counterparties.size, q.oneOffMinCounterparties), fan, conditions)];
      },
    };
  };
}

export const slowFanIn = slowFan('in');
export const slowFanOut = slowFan('out');

/** Hops examined per transfer at most. */
const BUDGET = 5000;

/**
 * A slow ring: surprising one-off payments passed on from account to account, in any order and for any sums,
 * all within `cycle.oneOffWindow`: closed (back to where it started, `cycle.minLength` accounts or more) or still
 * open (`cycle.oneOffMinHops` payments or more in a row: a ring with hops still to come, or one that stopped when
 * an account ran dry). Each account pays the next once and nothing else.
 */
export const slowCycle: DetectorFactory = (p) => {
  const q = p.cycle;
  return {
    typology: 'cycle',
    // Its hops reach a ring window past the transfer, and each is told one-off a repeat window past itself.
    lookahead: p.oneOff.repeatWindow + q.oneOffWindow,
    observe(t, w): Hit[] {
      const habits = habitsOf(w, p);
      if (t.from === t.to || !habits.surprising(w, t)) return [];
      let budget = BUDGET;
      const used = new Set([t.from, t.to]);
      let closed = false;
      // The longest chain of surprising payments on from `account` (forward: paid by it; backward: paid to it),
      // every payment within the window of the span so far; forward stops at a payment that closes the ring.
      const walk = (account: string, forward: boolean, span: [number, number], room: number): Transfer[] => {
        if (room <= 0) return [];
        let best: Transfer[] = [];
        const [lo, hi] = [span[1] - q.oneOffWindow, span[0] + q.oneOffWindow];
        for (const u of forward ? w.outOf(account, lo, hi) : w.into(account, lo, hi)) {
          if ((budget -= 1) < 0) break;
          const next = forward ? u.to : u.from;
          if (u.id === t.id || !habits.surprising(w, u)) continue;
          if (forward && next === t.from) {
            closed = true;
            return [u];
          }
          if (used.has(next)) continue;
          used.add(next);
          const rest = walk(next, forward, [Math.min(span[0], u.executedAt), Math.max(span[1], u.executedAt)], room - 1);
          used.delete(next);
          if (closed) return [u, ...rest];
          if (rest.length + 1 > best.length) best = [u, ...rest];
        }
        return best;
      };
      const after = walk(t.to, true, [t.executedAt, t.executedAt], q.maxLength - 1);
      for (const u of after) used.add(u.to);
      const before = closed ? [] : walk(t.from, false, [t.executedAt, t.executedAt], q.maxLength - 1 - after.length);
      const hops = [...before, t, ...after];
      if (closed ? hops.length < q.minLength : hops.length < q.oneOffMinHops) return [];
      const ring = [...hops].sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
      const first = ring[0] as Transfer;
      const span = days((ring[ring.length - 1] as Transfer).executedAt - first.executedAt);
      const accounts = [...new Set(hops.flatMap((h) => [h.from, h.to]))].sort();
      const conditions: Condition[] = [
        closed ? { name: 'ring-accounts', value: hops.length, limit: q.minLength } : { name: 'open-ring-payments', value: hops.length, limit: q.oneOffMinHops },
        { name: 'spread-days', value: span, limit: days(q.oneOffWindow) },
        ...oneOffConditions(p),
      ];
      return [hit('cycle', accounts.join('>'), first, scoreOf(hops.length, closed ? q.minLength : q.oneOffMinHops), ring, conditions)];
    },
  };
};
