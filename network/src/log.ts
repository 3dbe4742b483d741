// Progress output for the network scripts, and the error type whose message tells the user what to do.

/** An expected failure: its message names what failed and what to do; no stack trace is shown. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
const quiet = (): boolean => process.env.REGCHAIN_QUIET === '1';

export const log = {
  step(message: string): void {
    if (!quiet()) process.stderr.write(`[${elapsed()}] ${message}\n`);
  },
  done(message: string): void {
    if (!quiet()) process.stderr.write(`[${elapsed()}] ✔ ${message}\n`);
  },
  warn(message: string): void {
    process.stderr.write(`[${elapsed()}] ! ${message}\n`);
  },
};

/** Runs an async step and returns how long it took in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = Date.now();
  const value = await fn();
  return [value, Date.now() - t0];
}
