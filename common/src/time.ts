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
