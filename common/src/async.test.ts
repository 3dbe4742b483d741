// Waiting until something is so, or giving up at a deadline.
import { until } from './async';

it('answers the first answer a probe gives', async () => {
  let calls = 0;
  await expect(until(() => (++calls >= 3 ? `after ${calls}` : undefined), { timeoutMs: 5000, intervalMs: 1 })).resolves.toBe('after 3');
});

it('answers undefined when the deadline passes without an answer, after asking at least once', async () => {
  let calls = 0;
  const started = Date.now();
  await expect(until(() => void calls++, { timeoutMs: 30, intervalMs: 5 })).resolves.toBeUndefined();
  expect(calls).toBeGreaterThan(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(30);
});

it("stops with a probe's error", async () => {
  await expect(until(() => Promise.reject(new Error('the process died')), { timeoutMs: 5000, intervalMs: 1 })).rejects.toThrow('the process died');
});
