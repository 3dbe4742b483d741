// The idempotency store in the gateway's database: replays, refusals, expiry, a bound, races for one key, keys a
// stopped gateway left pending, and the journal of earlier versions moved in once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Idempotency, MIGRATED_JOURNAL } from './idempotency';
import { GatewayDatabase } from './store/database';

const dir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-idem-'));
/** A store over the folder's database; closing it stands for the gateway stopping. */
const open: GatewayDatabase[] = [];
const store = (d: string, options: ConstructorParameters<typeof Idempotency>[2] = {}): Idempotency & { close(): Promise<void> } => {
  const database = new GatewayDatabase({ dir: path.join(d, 'db') });
  open.push(database);
  return Object.assign(new Idempotency(database, d, options), { close: () => database.close() });
};
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

async function settle(s: Idempotency, caller: string, key: string, request: unknown, body: unknown): Promise<void> {
  const begun = await s.begin(caller, key, request);
  if (!('finish' in begun)) throw new Error('expected a fresh key');
  await begun.finish(201, body);
}

describe('idempotency store', () => {
  it('replays a finished key after a restart, and refuses the key for another request', async () => {
    const d = dir();
    const first = store(d);
    await settle(first, 'bank1', 'k1', { a: 1 }, { transactionId: 'tx1' });
    await first.close();
    const again = store(d);
    expect(await again.begin('bank1', 'k1', { a: 1 })).toEqual({ replay: { statusCode: 201, body: { transactionId: 'tx1' } } });
    await expect(again.begin('bank1', 'k1', { a: 2 })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect('finish' in (await again.begin('bank2', 'k1', { a: 1 }))).toBe(true);
  });

  it('forgets keys after their time to live', async () => {
    let now = 1_000_000;
    const s = store(dir(), { ttlMs: 1000, now: () => now });
    await settle(s, 'c', 'k', {}, 'first');
    now += 1001;
    expect('finish' in (await s.begin('c', 'k', {}))).toBe(true);
  });

  it('keeps at most its bound, dropping the oldest finished keys first', async () => {
    let now = 1_000_000;
    const s = store(dir(), { maxEntries: 10, now: () => (now += 1000) });
    for (let i = 0; i < 25; i += 1) await settle(s, 'c', `k${i}`, {}, i);
    await s.begin('c', 'probe', {});
    expect(await s.size()).toBeLessThanOrEqual(11);
    expect(await s.begin('c', 'k24', {})).toEqual({ replay: { statusCode: 201, body: 24 } });
    expect('finish' in (await s.begin('c', 'k0', {}))).toBe(true);
  });

  it('lets exactly one of many racing requests claim a key; the others hear it is running', async () => {
    const s = store(dir());
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => s.begin('c', 'race', { x: 1 })));
    expect(outcomes.filter((o) => o.status === 'fulfilled' && 'finish' in o.value)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(
      Array(7).fill('IDEMPOTENCY_IN_PROGRESS'),
    );
  });

  it('frees a key left pending by a gateway that stopped, and an abandoned one at once', async () => {
    const d = dir();
    const first = store(d);
    expect('finish' in (await first.begin('c', 'crashed', {}))).toBe(true);
    const abandoned = await first.begin('c', 'given-up', {});
    if ('abandon' in abandoned) await abandoned.abandon();
    expect('finish' in (await first.begin('c', 'given-up', {}))).toBe(true);
    await first.close();
    const restarted = store(d);
    expect('finish' in (await restarted.begin('c', 'crashed', {}))).toBe(true);
  });

  it("moves an earlier version's journal in once: finished keys replay, pending and deleted ones are free", async () => {
    const d = dir();
    const at = Date.now();
    const lines = [
      { set: { scope: 'bank1:done', requestHash: '', state: 'pending', createdAt: at } },
      { set: { scope: 'bank1:done', requestHash: 'h', state: 'done', statusCode: 201, body: { transactionId: 'tx9' }, createdAt: at } },
      { set: { scope: 'bank1:pending', requestHash: 'h', state: 'pending', createdAt: at } },
      { set: { scope: 'bank1:gone', requestHash: 'h', state: 'done', statusCode: 200, body: 1, createdAt: at } },
      { del: 'bank1:gone' },
    ];
    fs.writeFileSync(path.join(d, 'idempotency.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"set":{"sco`);
    const s = store(d);
    await s.ready();
    expect(fs.existsSync(path.join(d, 'idempotency.jsonl'))).toBe(false);
    expect(fs.existsSync(path.join(d, MIGRATED_JOURNAL))).toBe(true);
    expect(await s.size()).toBe(1);
    // The journal kept the request's hash: the same request replays, another is refused.
    await expect(s.begin('bank1', 'done', { other: true })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect('finish' in (await s.begin('bank1', 'pending', {}))).toBe(true);
    expect('finish' in (await s.begin('bank1', 'gone', {}))).toBe(true);
  });
});
