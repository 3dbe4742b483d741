// A set published on chain before figures were added to the schema (or a file naming only what it changes)
// runs with the defaults for the rest; a set that is wrong where it speaks is refused, naming the field.
import { DEFAULT_TYPOLOGY_PARAMETERS } from '@regchain/common';
import { withDefaults } from './parameters';

describe('typology parameters over the defaults', () => {
  it('fills what an older published set lacks (a whole group, or a figure of a group) with the defaults', () => {
    const { oneOff: _oneOff, ...older } = DEFAULT_TYPOLOGY_PARAMETERS;
    const fanIn: Record<string, unknown> = { ...older.fanIn, minCounterparties: 7 };
    delete fanIn.oneOffWindow;
    const p = withDefaults({ ...older, fanIn }, 4);
    expect(p.version).toBe(4);
    expect(p.oneOff).toEqual(DEFAULT_TYPOLOGY_PARAMETERS.oneOff);
    expect(p.fanIn.minCounterparties).toBe(7);
    expect(p.fanIn.oneOffWindow).toBe(DEFAULT_TYPOLOGY_PARAMETERS.fanIn.oneOffWindow);
  });

  it('refuses a set that is wrong where it speaks, naming the field', () => {
    expect(() => withDefaults({ oneOff: { repeatWindow: -1 } }, 1)).toThrow(/\/oneOff\/repeatWindow/);
    expect(() => withDefaults({ colour: 'red' }, 1)).toThrow(/typology parameters/);
  });
});
