// Unified social credit codes: the check character of GB 32100-2015.
import { checkCharacter, isValidCreditCode, regionOf } from './creditcode';

describe('unified social credit code', () => {
  it.each([
    ['91350100M000100Y43', true],
    ['91110000600037341L', true],
    ['91500000MA5U0ENT1W', true],
    ['91500000MA5U0ENT1X', false],
    ['91350100M000100Y4', false],
    ['91350100M000100Y43X', false],
    ['9135O100M000100Y43', false],
    ['91350100M000I00Y43', false],
  ])('%s is valid: %s', (code, valid) => {
    expect(isValidCreditCode(code)).toBe(valid);
  });

  it('computes 0 when the weighted sum is a multiple of 31', () => {
    for (const digit of '0123456789') {
      const first17 = `9150000${digit}MA5U00000`;
      const check = checkCharacter(first17);
      expect(isValidCreditCode(first17 + check)).toBe(true);
    }
  });

  it('reads the administrative division', () => {
    expect(regionOf('91500000MA5U0ENT1W')).toBe('500000');
  });
});
