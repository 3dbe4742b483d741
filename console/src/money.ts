// Money is integer fen on the chain; people read and type yuan.
/** Fen shown as yuan with two decimals. */
export const yuan = (fen: number, locale: string): string =>
  (fen / 100).toLocaleString(locale, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 });

/** Parses a yuan amount typed by a person ("1,234.50") into fen; undefined when it is not one. */
export function fenOf(text: string): number | undefined {
  const clean = text.replace(/[,\s¥￥]/g, '');
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(clean)) return undefined;
  const [whole, frac = ''] = clean.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}
