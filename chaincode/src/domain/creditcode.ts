// Unified social credit codes (GB 32100-2015): 18 characters whose last is a check character.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a code. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  return CHARSET.charAt(check);
}

export function isValidCreditCode(code: string): boolean {
  return SHAPE.test(code) && checkCharacter(code.slice(0, 17)) === code.charAt(17);
}

/** The six-digit administrative division code embedded in a credit code (positions 3–8). */
export const regionOf = (code: string): string => code.slice(2, 8);
