// Alerts cannot be silenced: once an alert is on the chain (or dismissed), new activity of its accounts raises
// alerts of its own, also after a restart; what was raised is never raised again.
import { Engine } from './engine';
import { DEFAULT_PARAMETERS } from './parameters';
import type { Transfer } from './transfer';

const T0 = 1_800_000_000;
const UNDER = DEFAULT_PARAMETERS.threshold - 100;
const split = (n: number, from = 0): Transfer[] =>
  Array.from({ length: n }, (_, i) => ({ id: `s${from + i}`, from: 'smurf', to: `shop${from + i}`, amount: UNDER, executedAt: T0 + (from + i) * 600 }));

describe('pattern alerts and what they absorb', () => {
  it('extends an alert the chain does not hold yet, and gives anything after it is sealed an alert of its own', () => {
    const engine = new Engine(DEFAULT_PARAMETERS, ['structuring']);
    const first = split(4).flatMap((t) => engine.observe(t));
    const key = first[0]?.key as string;
    expect(new Set(first.map((a) => a.key))).toEqual(new Set([key]));
    expect(engine.alert(key)?.transfers).toHaveLength(4);
    // Raised (or dismissed): the alert is final. The next split payment is a pattern of its own, evidence included.
    engine.seal(key);
    const after = split(1, 4).flatMap((t) => engine.observe(t));
    expect(after).toHaveLength(1);
    expect(after[0]?.key).not.toBe(key);
    expect(after[0]?.transfers.map((t) => t.id)).toContain('s4');
    expect(engine.alert(key)?.transfers).toHaveLength(4);
    // The successor extends while it is not sealed, and yields to a third once it is.
    expect(split(1, 5).flatMap((t) => engine.observe(t))).toEqual([expect.objectContaining({ key: after[0]?.key })]);
    engine.seal(after[0]?.key as string);
    const third = split(1, 6).flatMap((t) => engine.observe(t));
    expect(third.map((a) => a.key)).toEqual([`${key}+2`]);
  });

  it('raises nothing again after a restart, and raises what is new', () => {
    const before = new Engine(DEFAULT_PARAMETERS, ['structuring']);
    const raised = [
      ...new Set(
        split(5)
          .flatMap((t) => before.observe(t))
          .map((a) => a.key),
      ),
    ];
    const restarted = new Engine(DEFAULT_PARAMETERS, ['structuring']);
    restarted.restore(raised);
    expect(split(5).flatMap((t) => restarted.observe(t))).toEqual([]);
    restarted.sealRestored();
    const fresh = split(1, 5).flatMap((t) => restarted.observe(t));
    expect(fresh).toHaveLength(1);
    expect(raised).not.toContain(fresh[0]?.key);
  });
});
