// The idempotency store: replays, refusals, expiry, a bound, and a journal that grows by a line a change.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiError } from './errors';
import { Idempotency } from './idempotency';

const dir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-idem-'));

async function settle(store: Idempotency, caller: string, key: string, request: unknown, body: unknown): Promise<void> {
  const begun = await store.begin(caller, key, request);
  if (!('finish' in begun)) throw new Error('expected a fresh key');
  await begun.finish(201, body);
}

describe('idempotency store', () => {
  it('replays a finished key after a restart, and refuses the key for another request', async () => {
    const d = dir();
    const first = new Idempotency(d);
    await settle(first, 'bank1', 'k1', { a: 1 }, { transactionId: 'tx1' });
    await first.flushed();
    const again = new Idempotency(d);
    expect(await again.begin('bank1', 'k1', { a: 1 })).toEqual({ replay: { statusCode: 201, body: { transactionId: 'tx1' } } });
    await expect(again.begin('bank1', 'k1', { a: 2 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect('finish' in (await again.begin('bank2', 'k1', { a: 1 }))).toBe(true);
  });

  it('forgets keys after their time to live', async () => {
    let now = 1_000_000;
    const store = new Idempotency(dir(), { ttlMs: 1000, now: () => now });
    await settle(store, 'c', 'k', {}, 'first');
    now += 1001;
    expect('finish' in (await store.begin('c', 'k', {}))).toBe(true);
  });

  it('keeps at most its bound, dropping the oldest finished keys first', async () => {
    const store = new Idempotency(dir(), { maxEntries: 10 });
    for (let i = 0; i < 25; i += 1) await settle(store, 'c', `k${i}`, {}, i);
    await store.begin('c', 'probe', {});
    expect(store.size).toBeLessThanOrEqual(11);
    expect(await store.begin('c', 'k24', {})).toEqual({ replay: { statusCode: 201, body: 24 } });
    expect('finish' in (await store.begin('c', 'k0', {}))).toBe(true);
  });

  it('appends one line per change instead of rewriting the store, and frees keys left pending by a crash', async () => {
    const d = dir();
    const store = new Idempotency(d);
    await settle(store, 'c', 'a', {}, 1);
    await store.flushed();
    const size = fs.statSync(path.join(d, 'idempotency.jsonl')).size;
    const pending = await store.begin('c', 'b', {});
    await store.flushed();
    const grown = fs.readFileSync(path.join(d, 'idempotency.jsonl'), 'utf8');
    expect(grown.length - size).toBeLessThan(200);
    expect(grown.split('\n').filter(Boolean)).toHaveLength(3);
    await expect(store.begin('c', 'b', {})).rejects.toBeInstanceOf(ApiError);
    expect('abandon' in pending).toBe(true);
    const restarted = new Idempotency(d);
    expect('finish' in (await restarted.begin('c', 'b', {}))).toBe(true);
  });
});
