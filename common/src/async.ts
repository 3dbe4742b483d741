// Waiting, said once.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks `probe` every `intervalMs` until it answers something other than undefined, and answers that; answers
 * undefined once `timeoutMs` has passed without it. A probe that throws stops the wait with its error.
 */
export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs: number },
): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() >= deadline) return undefined;
    await sleep(options.intervalMs);
  }
}
