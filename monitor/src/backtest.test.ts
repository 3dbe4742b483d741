// The back-test on files: the CSV the gateway's upload takes, read row by row, with clear errors for bad rows;
// rows a little out of time order give the same alerts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backtest } from './backtest';
import { Engine } from './engine';
import { DEFAULT_PARAMETERS } from './parameters';
import { DAY } from '@regchain/common';
import { type Transfer } from './transfer';
import { CsvError, readTransfers, transfersCsv } from './csv';
import { labelledSet } from './synthetic';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-backtest-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

async function all(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const t of readTransfers(file)) out.push(t);
  return out;
}

describe('transfers CSV', () => {
  it('reads the upload format with its purpose, ignoring extra columns', async () => {
    const file = write('ok.csv', 'reference,payerAccount,payeeAccount,amount,executedAt,purpose,branch\nR1,a,b,1500,2026-03-01T08:00:00Z,goods,x\n');
    expect(await all(file)).toEqual([{ id: 'R1', from: 'a', to: 'b', amount: 1500, executedAt: Date.UTC(2026, 2, 1, 8) / 1000, purpose: 'goods' }]);
  });

  it.each([
    ['a missing column', 'reference,payerAccount,amount,executedAt\nR1,a,1,2026-03-01T08:00:00Z\n', ':1: the header lacks payeeAccount'],
    [
      'an amount in yuan',
      'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,15.00,2026-03-01T08:00:00Z\n',
      ':2: amount "15.00" is not a positive whole number of fen',
    ],
    ['a local time', 'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,1,2026-03-01T08:00:00+08:00\n', ':2: executedAt'],
    // What the upload refuses, the back-test refuses: the chaincode's form of a time, and a real one.
    ['UTC written as an offset', 'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,1,2026-03-01T08:00:00+00:00\n', ':2: executedAt'],
    ['microseconds', 'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,1,2026-03-01T08:00:00.123456Z\n', ':2: executedAt'],
    ['the 30th of February', 'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,1,2026-02-30T08:00:00Z\n', ':2: executedAt'],
    [
      'a reference twice',
      'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,1,2026-03-01T08:00:00Z\nR1,a,b,2,2026-03-01T09:00:00Z\n',
      ':3: reference R1 is also on line 2',
    ],
    ['a payment to itself', 'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,a,1,2026-03-01T08:00:00Z\n', ':2: payerAccount and payeeAccount'],
  ])('refuses %s, naming the line', async (_what, text, message) => {
    const file = write('bad.csv', text);
    await expect(all(file)).rejects.toThrow(CsvError);
    await expect(all(file)).rejects.toThrow(message);
  });
});

describe('backtest', () => {
  const set = labelledSet({ seed: 5, days: 40, people: 300, instances: 3 });

  it('flags the planted patterns in a file, and gives the same alerts for rows a little out of order', async () => {
    const sorted = await backtest(write('sorted.csv', transfersCsv(set.transfers)));
    // Swap neighbours: reports arrive out of order by minutes.
    const shuffled = [...set.transfers];
    for (let i = 0; i + 1 < shuffled.length; i += 2) [shuffled[i], shuffled[i + 1]] = [shuffled[i + 1] as never, shuffled[i] as never];
    const late = await backtest(write('late.csv', transfersCsv(shuffled)));
    expect(sorted.transfers).toBe(set.transfers.length);
    const planted = new Set(set.labels.map((l) => l.reference));
    expect(sorted.transactions.filter((r) => planted.has(r)).length).toBeGreaterThan(planted.size * 0.9);
    expect(late.transactions).toEqual(sorted.transactions);
    expect(late.alerts.map((a) => a.typology).sort()).toEqual(sorted.alerts.map((a) => a.typology).sort());
  });

  it('finds the same alerts in a file of old transfers loaded into a live stream months ahead of it', () => {
    const alone = new Engine(DEFAULT_PARAMETERS);
    for (const t of set.transfers) alone.observe(t);
    // Live traffic on other accounts, 200 days later, before, between and after the old file's transfers.
    const live = labelledSet({ seed: 6, days: 30, people: 300, instances: 1 }).transfers.map((t): Transfer => ({
      ...t,
      id: `L${t.id}`,
      from: `L${t.from}`,
      to: `L${t.to}`,
      executedAt: t.executedAt + 200 * DAY,
    }));
    const mixed = new Engine(DEFAULT_PARAMETERS);
    const third = Math.floor(live.length / 3);
    for (const t of live.slice(0, third)) mixed.observe(t);
    set.transfers.forEach((t, i) => {
      mixed.observe(t);
      const l = live[third + i];
      if (i % 2 === 0 && l && third + i < 2 * third) mixed.observe(l);
    });
    for (const t of live.slice(2 * third)) mixed.observe(t);
    // The stream ends: what waits for its lookahead is judged.
    alone.flush();
    mixed.flush();
    const old = (e: Engine) =>
      e
        .alerts()
        .filter((a) => !a.key.includes(':L'))
        .map((a) => `${a.key} ${a.transfers.map((t) => t.id).join(',')}`)
        .sort();
    expect(old(alone).length).toBeGreaterThan(10);
    expect(old(mixed)).toEqual(old(alone));
  });
});
