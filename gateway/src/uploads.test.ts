// CSV uploads: every row checked (in a worker thread) before anything is sent, batches in order, progress that
// survives a crash between a batch's commit and its note, no row recorded twice when it resumes, callers served
// in turn, a cap on waiting rows, and finished uploads forgotten after their retention.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_PROBLEMS, readTransfersCsv } from './csv';
import { GatewayDatabase } from './store/database';
import { type BatchOutcome, type UploadItem, Uploads } from './uploads';

const HEADER = 'reference,payerAccount,payeeAccount,amount,executedAt';
const row = (i: number): string => `R-${i},acc-a,acc-b,${100 + i},2026-11-20T08:00:${String(i % 60).padStart(2, '0')}Z`;
const csv = (n: number): string => [HEADER, ...Array.from({ length: n }, (_v, i) => row(i))].join('\n');

describe('transfers CSV', () => {
  it('reads rows into transfers, ignoring extra columns and defaulting purpose and currency', async () => {
    const { items, problems } = await readTransfersCsv(`${HEADER},note\nR-1,acc-a,acc-b,5000,2026-11-20T08:00:00Z,paid\n`);
    expect(problems).toEqual([]);
    expect(items).toEqual([
      { reference: 'R-1', fromAccount: 'acc-a', toAccount: 'acc-b', amount: 5000, currency: 'CNY', purpose: 'general', executedAt: '2026-11-20T08:00:00Z' },
    ]);
  });

  it.each([
    ['a missing column', 'reference,payerAccount,amount\nR-1,a,5\n', 1, /lacks payeeAccount, executedAt/],
    ['an amount that is not whole fen', `${HEADER}\nR-1,a,b,1.5,2026-11-20T08:00:00Z\n`, 2, /amount/],
    ['a time that is not ISO 8601 UTC', `${HEADER}\nR-1,a,b,1,20/11/2026\n`, 2, /executedAt/],
    ['a reference twice', `${HEADER}\nR-1,a,b,1,2026-11-20T08:00:00Z\nR-1,a,b,2,2026-11-20T08:00:00Z\n`, 3, /also on line 2/],
    ['an empty reference', `${HEADER}\n,a,b,1,2026-11-20T08:00:00Z\n`, 2, /reference/],
    ['no rows', `${HEADER}\n`, 1, /no rows/],
    ['a bad row after blank lines', `${HEADER}\n\nR-1,a,b,1,2026-11-20T08:00:00Z\n\nR-2,a,b,x,2026-11-20T08:00:00Z\n`, 5, /amount/],
  ])('names %s with its line', async (_what, text, line, message) => {
    const { problems } = await readTransfersCsv(text);
    expect(problems[0]?.line).toBe(line);
    expect(problems[0]?.message).toMatch(message);
  });
});

/** A ledger that records each reference once, as the chaincode does, and answers duplicates as such. */
function fakeLedger() {
  const recorded = new Set<string>();
  const batches: number[] = [];
  const submit = async (_caller: string, items: readonly UploadItem[]): Promise<BatchOutcome> => {
    batches.push(items.length);
    return {
      results: items.map((item, index) => {
        if (recorded.has(item.reference)) return { index, status: 'failed' as const, code: 'TRANSFER_DUPLICATE', message: 'reported before' };
        if (item.amount === 107) return { index, status: 'failed' as const, code: 'RULE_BLOCKED', message: 'blocked by rule big' };
        recorded.add(item.reference);
        return { index, status: 'recorded' as const };
      }),
    };
  };
  return { recorded, batches, submit };
}

/** One database a data folder, as a gateway has: a restarted service over the same folder finds its progress. */
const databases = new Map<string, GatewayDatabase>();
const databaseOf = (dir: string): GatewayDatabase => {
  let db = databases.get(dir);
  if (!db) databases.set(dir, (db = new GatewayDatabase({ dir: path.join(dir, 'db') })));
  return db;
};
afterAll(async () => {
  for (const db of databases.values()) await db.close();
});

describe('uploads', () => {
  it('checks a file in a worker, naming its first problems and stopping there, and keeps nothing of it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    const ledger = fakeLedger();
    const uploads = new Uploads(databaseOf(dir), dir, ledger.submit, { batchSize: 4 });
    const junk = [HEADER, ...Array.from({ length: 5000 }, (_v, i) => `J-${i},a,b,not-fen,yesterday`)].join('\n');
    const refused = await uploads.upload('bank1', Buffer.from(junk)).catch((e: unknown) => e as { statusCode: number; details: { problems: unknown[] } });
    expect((refused as { statusCode: number }).statusCode).toBe(400);
    expect((refused as { details: { problems: unknown[] } }).details.problems).toHaveLength(MAX_PROBLEMS);
    expect(fs.readdirSync(path.join(dir, 'uploads'))).toEqual([]);
    const ok = await uploads.upload('bank1', Buffer.from(csv(6)));
    await uploads.idle();
    expect(await uploads.status('bank1', ok.uploadId)).toMatchObject({ status: 'done', recorded: 6 });
    await uploads.close();
  });

  it("serves callers in turn: one member's large file holds back no other member's", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const submit = async (caller: string, items: readonly UploadItem[]): Promise<BatchOutcome> => {
      order.push(caller);
      await gate;
      return { results: items.map((_item, index) => ({ index, status: 'recorded' as const })) };
    };
    const uploads = new Uploads(databaseOf(dir), dir, submit, { batchSize: 2 });
    await uploads.create('big', (await readTransfersCsv(csv(20))).items);
    await uploads.create('small', (await readTransfersCsv(csv(4))).items);
    release();
    await uploads.idle();
    // The small file's two batches go out among the first five, not after the big file's ten.
    expect(order.lastIndexOf('small')).toBeLessThanOrEqual(4);
    expect(order.filter((c) => c === 'big')).toHaveLength(10);
  });

  it('refuses a file that would put a caller over its waiting rows, and keeps nothing of it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const submit = async (_caller: string, items: readonly UploadItem[]): Promise<BatchOutcome> => {
      await gate;
      return { results: items.map((_item, index) => ({ index, status: 'recorded' as const })) };
    };
    const uploads = new Uploads(databaseOf(dir), dir, submit, { batchSize: 5, maxPendingRows: 12 });
    await uploads.create('bank1', (await readTransfersCsv(csv(10))).items);
    await expect(uploads.upload('bank1', Buffer.from(csv(5)))).rejects.toMatchObject({ statusCode: 429, code: 'UPLOAD_QUEUE_FULL' });
    await expect(uploads.upload('bank2', Buffer.from(csv(5)))).resolves.toMatchObject({ status: 'running' });
    expect(fs.readdirSync(path.join(dir, 'uploads')).filter((f) => f.endsWith('.ndjson'))).toHaveLength(2);
    release();
    await uploads.idle();
  });

  it('removes finished uploads after their retention, and keeps running ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    const ledger = fakeLedger();
    const uploads = new Uploads(databaseOf(dir), dir, ledger.submit, { batchSize: 4, retentionSeconds: 3600 });
    const { uploadId } = await uploads.create('bank1', (await readTransfersCsv(csv(5))).items);
    await uploads.idle();
    // Finished: the rows are gone at once, the status stays (in the database) for the retention period.
    expect(fs.readdirSync(path.join(dir, 'uploads'))).toEqual([]);
    expect(await uploads.status('bank1', uploadId)).toMatchObject({ status: 'done' });
    expect(await uploads.sweep(Date.now() + 1800_000)).toBe(0);
    expect(await uploads.sweep(Date.now() + 3700_000)).toBe(1);
    await expect(uploads.status('bank1', uploadId)).rejects.toThrow(/no upload/);
    await uploads.close();
  });

  it('sends batches in order and reports rows recorded and failed, with their lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    const ledger = fakeLedger();
    const uploads = new Uploads(databaseOf(dir), dir, ledger.submit, { batchSize: 4 });
    const { uploadId } = await uploads.create('bank1', (await readTransfersCsv(csv(10))).items);
    await uploads.idle();
    expect(ledger.batches).toEqual([4, 4, 2]);
    expect(await uploads.status('bank1', uploadId)).toMatchObject({
      status: 'done',
      total: 10,
      processed: 10,
      recorded: 9,
      failed: 1,
      failures: [{ line: 9, code: 'RULE_BLOCKED' }],
    });
    await expect(uploads.status('bank2', uploadId)).rejects.toThrow(/no upload/);
  });

  it('resumes after a crash between a batch and its note, and records no row twice', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-upl-'));
    const ledger = fakeLedger();
    const crashing = new Uploads(databaseOf(dir), dir, ledger.submit, {
      batchSize: 4,
      onBatchAnswered: (_id, batch) => {
        if (batch === 1) throw new Error('killed');
      },
    });
    const { uploadId } = await crashing.create('bank1', (await readTransfersCsv(csv(10))).items);
    await crashing.idle();
    expect(await crashing.status('bank1', uploadId)).toMatchObject({ status: 'running', processed: 4 });
    expect(ledger.recorded.size).toBe(7);

    const restarted = new Uploads(databaseOf(dir), dir, ledger.submit, { batchSize: 4 });
    expect(await restarted.resume()).toBe(1);
    await restarted.idle();
    // The second batch was committed before the crash: sent again, its rows come back as recorded already.
    expect(await restarted.status('bank1', uploadId)).toMatchObject({ status: 'done', processed: 10, recorded: 6, alreadyRecorded: 3, failed: 1 });
    expect(ledger.recorded.size).toBe(9);
  });
});
