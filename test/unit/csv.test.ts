// One reader for the transfers CSV: the upload and the back-test accept and refuse the same rows, on the same
// lines, whatever the line endings and blank lines.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTransfersCsv } from '../../gateway/src/csv';
import { readTransfers } from '../../monitor/src/csv';

const HEADER = 'reference,payerAccount,payeeAccount,amount,executedAt';
const ROWS = [
  'r-1,acc-a,acc-b,100,2026-11-01T08:00:00Z',
  'r-2,acc-a,acc-b,100,2026-02-30T08:00:00Z', // no 30th of February
  'r-3,acc-a,acc-b,0,2026-11-01T08:00:00Z', // not positive
  'r-4,acc-a,acc-b,12.5,2026-11-01T08:00:00Z', // not whole fen
  'r-5,acc-a,acc-a,100,2026-11-01T08:00:00Z', // to itself
  'r-1,acc-c,acc-d,100,2026-11-01T08:00:00Z', // reference again
  ',acc-a,acc-b,100,2026-11-01T08:00:00Z', // no reference
  'r-6,acc a,acc-b,100,2026-11-01T08:00:00Z', // not an account id
  'r-7,acc-a,acc-b,100,2026-11-01 08:00:00', // not ISO 8601 UTC
  'r-8,acc-a,acc-b,100,2026-11-01T08:00:00.123Z',
  'r-9,acc-c,acc-d,250000000000,2026-11-01T23:59:59Z',
];

/** The file: rows separated by `eol`, with a blank line (or two) after every third row. */
const file = (eol: string): string => [HEADER, ...ROWS.flatMap((r, i) => (i % 3 === 2 ? [r, '', ...(i % 2 ? [''] : [])] : [r]))].join(eol) + eol;

/** Each row's expected line in `file`: counted by hand from the layout above. */
const expectedLines = (): number[] => {
  const lines: number[] = [];
  let line = 2;
  ROWS.forEach((_r, i) => {
    lines.push(line);
    line += 1 + (i % 3 === 2 ? 1 + (i % 2 ? 1 : 0) : 0);
  });
  return lines;
};

async function viaUpload(text: string): Promise<{ accepted: string[]; refused: number[] }> {
  const accepted: string[] = [];
  const { problems } = await checkTransfersCsv(text, (item) => void accepted.push(item.reference));
  // The upload hands rows on only while the file is clean; count what the check accepted another way.
  return { accepted, refused: problems.map((p) => p.line) };
}

async function viaBacktest(text: string): Promise<{ accepted: string[]; refused: number[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regchain-csv-'));
  const at = path.join(dir, 'transfers.csv');
  fs.writeFileSync(at, text);
  const accepted: string[] = [];
  const refused: number[] = [];
  try {
    for await (const t of readTransfers(at, undefined, (line) => void refused.push(line))) accepted.push(t.id);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { accepted, refused };
}

describe.each([
  ['LF', '\n'],
  ['CR LF', '\r\n'],
])('a file with %s line ends and blank lines', (_name, eol) => {
  const lines = expectedLines();
  const badRows = [1, 2, 3, 4, 5, 6, 7, 8];

  it('is refused by both readers on the same rows, each named by its own line', async () => {
    const upload = await viaUpload(file(eol));
    const backtest = await viaBacktest(file(eol));
    expect(upload.refused).toEqual(badRows.map((i) => lines[i]));
    expect(backtest.refused).toEqual(upload.refused);
    expect(backtest.accepted).toEqual(['r-1', 'r-8', 'r-9']);
  });

  it('without its bad rows is accepted whole by both, in file order', async () => {
    const good = [HEADER, ...ROWS.filter((_r, i) => !badRows.includes(i))].join(eol);
    expect((await viaUpload(good)).accepted).toEqual(['r-1', 'r-8', 'r-9']);
    expect((await viaBacktest(good)).accepted).toEqual(['r-1', 'r-8', 'r-9']);
  });
});

it('names the line a record with a quoted line break starts on', async () => {
  const text = `${HEADER}\r\n"r-1",acc-a,acc-b,100,2026-11-01T08:00:00Z\r\n\r\n"r\r\n2",acc-a,acc-b,-5,2026-11-01T08:00:00Z\r\nr-3,acc-a,acc-b,-1,2026-11-01T08:00:00Z\r\n`;
  const { problems } = await checkTransfersCsv(text, () => undefined);
  expect(problems.map((p) => p.line)).toEqual([4, 6]);
});
