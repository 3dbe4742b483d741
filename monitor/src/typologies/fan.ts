// Fan-out and fan-in: one account and many counterparties, with money passed straight through it.
import type { Hit } from '../transfer';
import { byCounterparty, conduit, type DetectorFactory, dispersal, hit, meanScore, passesOn, scoreOf, spanOf, sum, type Condition } from './detector';

/**
 * Fan-out: an account pays at least `minCounterparties` accounts (collectors aside) within `window`, `minTotal` or more, and one
 * or two payers gave it about that sum in the `fundingWindow` before, and it was a conduit. Payroll pays as many,
 * but out of an employer's takings from many customers, or its balance.
 */
export const fanOut: DetectorFactory = (p) => ({
  typology: 'fan-out',
  observe(t, w): Hit[] {
    const q = p.fanOut;
    const outs = dispersal(w, w.outOf(t.from, t.executedAt - q.window, t.executedAt), t.executedAt, p);
    const payees = new Set(outs.map((o) => o.to));
    const total = sum(outs);
    if (payees.size < q.minCounterparties || total < q.minTotal) return [];
    const first = outs[0];
    if (!first) return [];
    const ins = w.into(t.from, first.executedAt - q.fundingWindow, t.executedAt);
    const sources = byCounterparty(ins, 'from').slice(0, q.maxFundingSources);
    const funded = sources.reduce((s, [, amount]) => s + amount, 0);
    if (!passesOn(total, funded, q.minFundedRatio)) return [];
    const funding = ins.filter((i) => sources.some(([s]) => s === i.from));
    if (!conduit(w, t.from, (funding[0] ?? first).executedAt, p)) return [];
    const score = meanScore(scoreOf(payees.size, q.minCounterparties), scoreOf(total, q.minTotal));
    const conditions: Condition[] = [
      { name: 'payees', value: payees.size, limit: q.minCounterparties },
      { name: 'paid-out', value: total, limit: q.minTotal },
      { name: 'share-funded', value: Math.round((funded / total) * 1000) / 1000, limit: q.minFundedRatio },
      spanOf(outs, q.window),
    ];
    return [hit('fan-out', t.from, first, score, [...funding, ...outs], conditions)];
  },
});

/**
 * Fan-in: at least `minCounterparties` payers pay one account within `window` before it pays about that sum on to
 * one or two accounts within `forwardWindow`. A merchant takes as many payments, but pays its suppliers later,
 * and more or less than one window's takings.
 */
export const fanIn: DetectorFactory = (p) => ({
  typology: 'fan-in',
  observe(t, w): Hit[] {
    const q = p.fanIn;
    const hub = t.from;
    const ins = w.into(hub, t.executedAt - q.forwardWindow, t.executedAt);
    const first = ins[0];
    if (!first) return [];
    const gathered = ins.filter((i) => i.executedAt <= first.executedAt + q.window);
    const payers = new Set(gathered.map((i) => i.from));
    const total = sum(gathered);
    if (payers.size < q.minCounterparties || total < q.minTotal) return [];
    const outs = w.outOf(hub, first.executedAt, t.executedAt);
    const destinations = byCounterparty(outs, 'to').slice(0, q.maxDestinations);
    const forwarded = destinations.reduce((s, [, amount]) => s + amount, 0);
    if (!passesOn(forwarded, total, q.minForwardRatio) || !conduit(w, hub, first.executedAt, p)) return [];
    const onward = outs.filter((o) => destinations.some(([d]) => d === o.to));
    const score = meanScore(scoreOf(payers.size, q.minCounterparties), scoreOf(total, q.minTotal));
    const conditions: Condition[] = [
      { name: 'payers', value: payers.size, limit: q.minCounterparties },
      { name: 'gathered', value: total, limit: q.minTotal },
      { name: 'share-passed-on', value: Math.round((forwarded / total) * 1000) / 1000, limit: q.minForwardRatio },
      spanOf(gathered, q.window),
    ];
    return [hit('fan-in', hub, first, score, [...gathered, ...onward], conditions)];
  },
});
