// Other generators' files in: AMLSim's output folder (plain or gzipped) and AMLworld's CSV, with their labels;
// a bad row stops the reading unless `skipInvalid`, which tells its line and reason and goes on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { backtest } from './backtest';
import { CsvError } from './csv';
import { openInput } from './formats';
import type { Transfer } from './transfer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-formats-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>, gzip = false): string {
  const at = path.join(dir, name);
  fs.mkdirSync(at, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    if (gzip) fs.writeFileSync(path.join(at, `${file}.gz`), zlib.gzipSync(text));
    else fs.writeFileSync(path.join(at, file), text);
  }
  return at;
}

async function all(it: AsyncGenerator<Transfer>): Promise<Transfer[]> {
  const out: Transfer[] = [];
  for await (const t of it) out.push(t);
  return out;
}

const AMLSIM_TX = `tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id
1,10,20,TRANSFER,254.62,2017-01-01T00:00:00Z,False,-1
2,11,20,TRANSFER,786.2,2017-01-02T00:00:00Z,True,7
3,12,20,TRANSFER,0.0,2017-01-03T00:00:00Z,True,7
4,13,20,TRANSFER,5,2017-01-04T00:00:00Z,True,7
`;
const AMLSIM_ALERTS = `alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp
7,fan_in,True,2,11,20,TRANSFER,786.2,2017-01-02T00:00:00Z
7,fan_in,True,3,12,20,TRANSFER,0.0,2017-01-03T00:00:00Z
7,fan_in,True,4,13,20,TRANSFER,5,2017-01-04T00:00:00Z
`;

describe('AMLSim output', () => {
  it.each([
    ['plain', false],
    ['gzipped', true],
  ])('reads a %s folder: amounts in minor units, day timestamps, labels by alert', async (_how, gzip) => {
    const at = folder(`amlsim-${String(gzip)}`, { 'transactions.csv': AMLSIM_TX, 'alert_transactions.csv': AMLSIM_ALERTS }, gzip);
    const input = openInput(at, { format: 'amlsim', skipInvalid: true });
    const transfers = await all(input.transfers());
    expect(transfers.map((t) => [t.id, t.from, t.to, t.amount])).toEqual([
      ['1', '10', '20', 25462],
      ['2', '11', '20', 78620],
      ['4', '13', '20', 500],
    ]);
    expect(transfers[0]?.executedAt).toBe(Date.UTC(2017, 0, 1) / 1000);
    expect(input.skipped).toEqual([{ file: expect.stringContaining('transactions.csv') as string, line: 4, reason: 'amount "0.0" is not positive' }]);
    expect(await input.labels()).toEqual(['2', '3', '4'].map((reference) => ({ reference, alertId: 'amlsim-7', typology: 'fan-in' })));
  });

  it('stops at the first bad row, naming its line, without --skip-invalid', async () => {
    const at = folder('amlsim-strict', { 'transactions.csv': AMLSIM_TX, 'alert_transactions.csv': AMLSIM_ALERTS });
    await expect(backtest(openInput(at, { format: 'amlsim' }))).rejects.toThrow(
      new CsvError(path.join(at, 'transactions.csv'), 4, 'amount "0.0" is not positive'),
    );
  });

  it('says what an AMLSim folder must hold', () => {
    const at = folder('amlsim-empty', { 'accounts.csv': 'acct_id\n1\n' });
    expect(() => openInput(at, { format: 'amlsim' })).toThrow(/transactions\.csv and alert_transactions\.csv/);
  });
});

describe('AMLworld transactions', () => {
  const header = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
  const rows = [
    '2022/09/01 00:20,10,8000EBD30,10,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0',
    '2022/09/01 00:20,3208,8000F4580,1,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0',
    '2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1',
    '2022/09/01 00:09,021174,800737690,020,80020C5B0,8630.4,Euro,8630.4,Euro,ACH,1',
    'not a time,1,A,2,B,1,Euro,1,Euro,ACH,0',
  ];
  const patterns = ['BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out', rows[2], rows[3], 'END LAUNDERING ATTEMPT - FAN-OUT', ''].join('\n');

  it('reads the file with its duplicate column names, skipping self-payments and bad times when told', async () => {
    const at = folder('amlworld', { 'HI-Tiny_Trans.csv': `${header}\n${rows.join('\n')}\n`, 'HI-Tiny_Patterns.txt': patterns });
    const input = openInput(at, { format: 'amlworld', skipInvalid: true });
    const transfers = await all(input.transfers());
    expect(transfers.map((t) => [t.id, t.from, t.to, t.amount])).toEqual([
      ['L3', '3208:8000F4580', '1:8000F5340', 1],
      ['L4', '021174:800737690', '012:80011F990', 284896],
      ['L5', '021174:800737690', '020:80020C5B0', 863040],
    ]);
    expect(input.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'payer and payee must be two different accounts'],
      [6, 'time "not a time" is not in the format\'s form'],
    ]);
    expect(await input.labels()).toEqual([
      { reference: 'L4', alertId: 'amlworld-1', typology: 'fan-out' },
      { reference: 'L5', alertId: 'amlworld-1', typology: 'fan-out' },
    ]);
  });
});

describe("the project's own CSV", () => {
  it('skips bad rows with their lines when told, and reads the labels beside the transfers in a folder', async () => {
    const at = folder('own', {
      'transfers.csv':
        'reference,payerAccount,payeeAccount,amount,executedAt\nR1,a,b,100,2026-01-01T00:00:00Z\n\nR2,a,b,0,2026-01-01T00:00:00Z\nR3,a,c,5,2026-01-02T00:00:00Z\n',
      'labels.csv': 'reference,alertId,typology\nR3,A1,structuring\n',
    });
    const input = openInput(at, { skipInvalid: true });
    expect((await all(input.transfers())).map((t) => t.id)).toEqual(['R1', 'R3']);
    expect(input.skipped.map((s) => [s.line, s.reason])).toEqual([[4, 'amount "0" is not a positive whole number of fen']]);
    expect(await input.labels()).toEqual([{ reference: 'R3', alertId: 'A1', typology: 'structuring' }]);
  });
});
