// The transfers CSV as banks upload it: read as a stream, each row checked by a compiled schema checker, stopping
// at the first 20 problems; the rows go to a sink as they are read, never all held at once.
import { TRANSFERS_CSV_COLUMNS, TransferInput } from '@regchain/common';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';

/** Every upload has TRANSFERS_CSV_COLUMNS; `purpose` and `currency` may be added (defaults `general`, `CNY`), others are ignored. */
const DEFAULT_PURPOSE = 'general';
/** A file with more problems than this is refused with these: enough to fix it by, and no more work. */
export const MAX_PROBLEMS = 20;

export interface UploadItem {
  readonly fromAccount: string;
  readonly toAccount: string;
  readonly amount: number;
  readonly currency: 'CNY';
  readonly purpose: string;
  readonly reference: string;
  readonly executedAt: string;
}

export interface RowProblem {
  /** 1-based line of the file, the header being line 1 (blank lines counted). */
  readonly line: number;
  readonly message: string;
}

const checker = TypeCompiler.Compile(TransferInput);

/**
 * Reads a transfers CSV, handing each good row to `sink` in file order; answers how many rows were good and the
 * problems found, stopping after MAX_PROBLEMS. The caller keeps the rows only when there are no problems.
 */
export async function checkTransfersCsv(
  source: Readable | Uint8Array | string,
  sink: (item: UploadItem, line: number) => void,
): Promise<{ count: number; problems: RowProblem[] }> {
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  let count = 0;
  let rows = 0;
  const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
  const parser = input.pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }));
  const stop = (): void => {
    input.unpipe(parser);
    parser.destroy();
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      rows += 1;
      if (rows === 1) {
        const missing = TRANSFERS_CSV_COLUMNS.filter((c) => !(c in record));
        if (missing.length > 0) {
          problems.push({ line: 1, message: `the header lacks ${missing.join(', ')}; it needs ${TRANSFERS_CSV_COLUMNS.join(',')}` });
          stop();
          break;
        }
      }
      const line = info.lines;
      const amount = /^[0-9]{1,15}$/.test(record.amount ?? '') ? Number(record.amount) : Number.NaN;
      const item: UploadItem = {
        fromAccount: record.payerAccount ?? '',
        toAccount: record.payeeAccount ?? '',
        amount,
        currency: (record.currency || 'CNY') as 'CNY',
        purpose: record.purpose || DEFAULT_PURPOSE,
        reference: record.reference ?? '',
        executedAt: record.executedAt ?? '',
      };
      const problem = checker.Check(item)
        ? !item.reference
          ? 'reference is empty; each row needs the reporter’s own reference'
          : seen.has(item.reference)
            ? `reference ${item.reference} is also on line ${seen.get(item.reference)}`
            : undefined
        : (() => {
            const error = checker.Errors(item).First();
            return `${error?.path.slice(1) || 'row'} ${error?.message ?? 'is invalid'}`;
          })();
      if (problem) problems.push({ line, message: problem });
      else {
        count += 1;
        if (problems.length === 0) sink(item, line);
      }
      if (!seen.has(item.reference)) seen.set(item.reference, line);
      if (problems.length >= MAX_PROBLEMS) {
        stop();
        break;
      }
    }
  } catch (err) {
    if (problems.length < MAX_PROBLEMS) problems.push({ line: 0, message: `not a CSV file: ${(err as Error).message}` });
  }
  if (rows === 0 && problems.length === 0) problems.push({ line: 1, message: 'the file has no rows' });
  return { count, problems };
}

/** The whole file's good rows and its problems, for tests and small files. */
export async function readTransfersCsv(text: string): Promise<{ items: UploadItem[]; problems: RowProblem[] }> {
  const items: UploadItem[] = [];
  const { problems } = await checkTransfersCsv(text, (item) => void items.push(item));
  return { items, problems };
}
