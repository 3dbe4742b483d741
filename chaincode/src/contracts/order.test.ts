// Order does not matter: the same transfers, reported in any order, batch split or business-time direction, give
// the same rule outcome. Checked against an oracle over the whole set, not against one order's answers.
import { as, BANK, ENT1, ENT2, World } from '../test/fixtures';
import { transferIdFor } from '../state/transfers';

const HOUR = 3600;
const DAY = 24 * HOUR;
const LIMIT = 1_000_000; // 10,000 CNY in a day
const BASE = Date.UTC(2026, 10, 20, 0, 0, 0) / 1000;

interface Payment {
  readonly reference: string;
  readonly from: 'ent1-main' | 'ent2-main';
  readonly to: 'ent1-main' | 'ent2-main';
  readonly amount: number;
  readonly executedAt: number;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

function payments(seed: number): Payment[] {
  const next = random(seed);
  return Array.from({ length: 14 }, (_, i) => {
    const out = next(4) !== 0;
    return {
      reference: `P${seed}-${i}`,
      from: out ? 'ent1-main' : 'ent2-main',
      to: out ? 'ent2-main' : 'ent1-main',
      amount: (1 + next(6)) * 100_000,
      executedAt: BASE + next(3 * DAY),
    };
  });
}

function shuffled<T>(items: readonly T[], next: (n: number) => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = next(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const id = (p: Payment): string => transferIdFor(BANK, p.reference, '', 0);
const payerOf = (p: Payment): string => (p.from === 'ent1-main' ? ENT1 : ENT2);

/** The payer's windows [s, s + length] starting at each of its payments, with what they hold. */
function windows(all: readonly Payment[], length: number): Payment[][] {
  return all.map((start) => all.filter((p) => payerOf(p) === payerOf(start) && p.executedAt >= start.executedAt && p.executedAt <= start.executedAt + length));
}

const RULES = {
  'day-sum': { '>': [{ '+': [{ var: 'window.payerSum24h' }, { var: 'amount' }] }, LIMIT] },
  'hour-count': { '>=': [{ var: 'window.payerCount1h' }, 2] },
  'round-trip': { var: 'pattern.roundTrip' },
};

/** Per rule, the groups of transfers that must hold at least one alert, and the transfers allowed to hold one. */
function oracle(all: readonly Payment[]): Record<keyof typeof RULES, { groups: Payment[][]; allowed: Set<string> }> {
  const daySum = windows(all, DAY).filter((w) => w.reduce((n, p) => n + p.amount, 0) > LIMIT);
  const hourCount = windows(all, HOUR).filter((w) => w.length >= 3);
  const trips = all.flatMap((a) => all.filter((b) => b.from === a.to && b.to === a.from && Math.abs(b.executedAt - a.executedAt) <= DAY).map((b) => [a, b]));
  const of = (groups: Payment[][]) => ({ groups, allowed: new Set(groups.flat().map(id)) });
  return { 'day-sum': of(daySum), 'hour-count': of(hourCount), 'round-trip': of(trips) };
}

async function setUp(action: 'ALERT' | 'BLOCK', rules: (keyof typeof RULES)[]): Promise<World> {
  const world = new World();
  world.peer.clock = BASE + 4 * DAY;
  await world.call('account:open', { accountId: 'ent1-main', ownerEntityId: ENT1, name: '基本户' }, as.bank);
  await world.call('account:open', { accountId: 'ent2-main', ownerEntityId: ENT2, name: '基本户' }, as.bank);
  for (const ruleId of rules) {
    await world.call('rule:publish', { ruleId, name: ruleId, description: '', logic: RULES[ruleId], action, severity: 'high' }, as.regulator);
  }
  return world;
}

const item = (p: Payment) => ({
  fromAccount: p.from,
  toAccount: p.to,
  amount: p.amount,
  currency: 'CNY',
  purpose: 'goods',
  reference: p.reference,
  executedAt: new Date(p.executedAt * 1000).toISOString(),
});

/** Reports the payments in batches of the given sizes, each transaction three minutes after the last (settled). */
async function report(world: World, order: readonly Payment[], sizes: readonly number[]): Promise<Map<string, Set<string>>> {
  const fired = new Map<string, Set<string>>();
  let at = 0;
  let time = world.peer.clock + 180;
  for (const size of sizes) {
    const batch = order.slice(at, at + size);
    at += size;
    const { event } = await world.invoke('transfer:recordBatch', { items: batch.map(item) }, as.bank, { time });
    time += 180;
    for (const e of event?.payload.events ?? []) {
      if (e.type !== 'RuleFired') continue;
      const set = fired.get(e.ruleId as string) ?? new Set<string>();
      set.add(e.transferId as string);
      fired.set(e.ruleId as string, set);
    }
  }
  return fired;
}

function splits(n: number, next: (k: number) => number): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = 1 + next(Math.min(left, 4));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

describe('rule outcomes do not depend on the order reported', () => {
  for (const seed of [11, 29, 47]) {
    it(`flags every window that breaks an ALERT rule, and nothing else, in any order and split (seed ${seed})`, async () => {
      const all = payments(seed);
      const expected = oracle(all);
      const next = random(seed * 7);
      const byTime = [...all].sort((a, b) => a.executedAt - b.executedAt);
      const orders = [byTime, [...byTime].reverse(), ...Array.from({ length: 4 }, () => shuffled(all, next))];
      const outcomes: string[] = [];
      for (const order of orders) {
        const world = await setUp('ALERT', ['day-sum', 'hour-count', 'round-trip']);
        const fired = await report(world, order, splits(order.length, next));
        const outcome: Record<string, number> = {};
        for (const rule of Object.keys(RULES) as (keyof typeof RULES)[]) {
          const alerted = fired.get(rule) ?? new Set<string>();
          for (const t of alerted) expect(expected[rule].allowed.has(t)).toBe(true);
          // Every group that breaks the rule holds an alert: the outcome is the set of groups caught, all of them.
          const caught = expected[rule].groups.filter((g) => g.some((p) => alerted.has(id(p))));
          expect(caught).toHaveLength(expected[rule].groups.length);
          outcome[rule] = caught.length;
        }
        outcomes.push(JSON.stringify(outcome));
      }
      expect(new Set(outcomes).size).toBe(1);
      expect(expected['day-sum'].groups.length + expected['hour-count'].groups.length).toBeGreaterThan(0);
    });
  }

  it('lets no order, newest first included, record a day over a BLOCK limit', async () => {
    const next = random(5);
    for (const seed of [11, 29]) {
      const all = payments(seed);
      for (const order of [[...all].sort((a, b) => b.executedAt - a.executedAt), shuffled(all, next)]) {
        const world = await setUp('BLOCK', ['day-sum']);
        const recorded: Payment[] = [];
        let time = world.peer.clock + 180;
        for (const p of order) {
          const ok = await world.invoke('transfer:record', item(p), as.bank, { time }).then(
            () => true,
            (e: { code?: string }) => {
              expect(e.code).toBe('RULE_BLOCKED');
              return false;
            },
          );
          time += 180;
          if (ok) recorded.push(p);
        }
        expect(windows(recorded, DAY).filter((w) => w.reduce((n, p) => n + p.amount, 0) > LIMIT)).toEqual([]);
      }
    }
  });

  it('stops the second of two 6,000 CNY payments in a day, whichever is reported first', async () => {
    for (const newestFirst of [false, true]) {
      const world = await setUp('BLOCK', ['day-sum']);
      const first = { reference: 'A', from: 'ent1-main', to: 'ent2-main', amount: 600_000, executedAt: BASE + 10 * HOUR } as const;
      const second = { ...first, reference: 'B', executedAt: BASE + 14 * HOUR };
      const [a, b] = newestFirst ? [second, first] : [first, second];
      await world.call('transfer:record', item(a), as.bank, { time: world.peer.clock + 180 });
      await world.refuses('RULE_BLOCKED', 'transfer:record', item(b), as.bank, { time: world.peer.clock + 180 });
    }
  });
});
