// Time as the chain keeps it: seconds since the epoch, and China Standard Time (UTC+8, no daylight saving).

export const MINUTE = 60;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** China Standard Time's offset from UTC, in seconds. */
export const CHINA_OFFSET = 8 * HOUR;

/** The China Standard Time calendar fields of a moment given in seconds (read them with getUTC…). */
export const chinaTime = (seconds: number): Date => new Date((seconds + CHINA_OFFSET) * 1000);

/** The hour of day in China Standard Time. */
export const chinaHour = (seconds: number): number => chinaTime(seconds).getUTCHours();

/** The China Standard Time date, yyyymmdd. */
export function chinaDate(seconds: number): string {
  const d = chinaTime(seconds);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * The milliseconds since the epoch of a UTC time as the chain takes it (YYYY-MM-DDThh:mm:ss[.sss]Z), or undefined
 * when it is not one or not a real time: JavaScript would roll the 30th of February over to March, this does not.
 */
export function isoMillis(text: string): number | undefined {
  if (!ISO_UTC.test(text)) return undefined;
  const millis = Date.parse(text);
  return Number.isFinite(millis) && new Date(millis).toISOString().slice(0, 19) === text.slice(0, 19) ? millis : undefined;
}
