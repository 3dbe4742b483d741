// CSV files read as streams, a record at a time, with the line each record starts on; and the transfers CSV as
// banks upload it and the back-test reads it, checked by one set of rules for both.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parse } from 'csv-parse';
import { type Readable, Transform } from 'node:stream';
import { TRANSFERS_CSV_COLUMNS, TransferInput } from './schemas';
import { isoMillis } from './time';

export class CsvError extends Error {
  constructor(
    /** 1-based line of the file (the header is line 1); 0 when the file as a whole is at fault. */
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** CR LF and lone CR as LF, across chunk boundaries: csv-parse counts lines right only on LF. */
function toLf(): Transform {
  let pendingCr = false;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      let text = (pendingCr ? '\r' : '') + chunk.toString();
      pendingCr = text.endsWith('\r');
      if (pendingCr) text = text.slice(0, -1);
      done(null, text.replace(/\r\n?/g, '\n'));
    },
    flush(done) {
      done(null, pendingCr ? '\n' : '');
    },
  });
}

/**
 * The records of a CSV with a header, each with the line it starts on (blank lines and quoted line breaks
 * counted), after checking the header names every `required` column. With `columns`, they replace the header's
 * names (a header that names two columns alike). Throws CsvError on a header that lacks a column or a file
 * that is not CSV.
 */
export async function* csvRecords(
  input: Readable,
  required: readonly string[],
  columns?: readonly string[],
): AsyncGenerator<{ line: number; record: Record<string, string> }> {
  const parser = input
    .pipe(toLf())
    .pipe(parse({ columns: columns ? () => [...columns] : true, skip_empty_lines: true, trim: true, bom: true, info: true, raw: true }));
  let checked = false;
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
      if (!checked) {
        const missing = required.filter((c) => !(c in record));
        if (missing.length > 0) throw new CsvError(1, `the header lacks ${missing.join(', ')}; it needs ${required.join(',')}`);
        checked = true;
      }
      // csv-parse counts to a record's last line; a quoted line break inside it moves its first line up.
      const inner = raw.replace(/^\n+/, '').replace(/\n$/, '');
      yield { line: info.lines - (inner.match(/\n/g)?.length ?? 0), record };
    }
  } catch (err) {
    if (err instanceof CsvError) throw err;
    throw new CsvError(0, `not a CSV file: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

/** One row of a transfers CSV, as the chain will be asked to record it. */
export interface TransferRow {
  readonly reference: string;
  readonly fromAccount: string;
  readonly toAccount: string;
  /** Whole fen. */
  readonly amount: number;
  readonly currency: 'CNY';
  readonly purpose: string;
  /** As written (UTC, ISO 8601), and in seconds since the epoch. */
  readonly executedAt: string;
  readonly seconds: number;
}

/** A purpose column is optional; a row without one is `general`. */
export const DEFAULT_PURPOSE = 'general';

const transferChecker = TypeCompiler.Compile(TransferInput);

/**
 * Every row of a transfers CSV (TRANSFERS_CSV_COLUMNS; `purpose` and `currency` may be added, other columns are
 * ignored) in file order, each as a transfer or the reason it is not one: an account id, a positive whole
 * number of fen, a real UTC time, a reference of its own (not one an earlier row has), two different accounts.
 */
export async function* transferRows(input: Readable): AsyncGenerator<{ line: number; row: TransferRow } | { line: number; problem: string }> {
  const seen = new Map<string, number>();
  for await (const { line, record } of csvRecords(input, TRANSFERS_CSV_COLUMNS)) {
    const made = transferRowOf(record, seen);
    if (typeof made === 'string') yield { line, problem: made };
    else yield { line, row: made };
    const reference = record.reference ?? '';
    if (reference && !seen.has(reference)) seen.set(reference, line);
  }
}

function transferRowOf(record: Record<string, string>, seen: ReadonlyMap<string, number>): TransferRow | string {
  const reference = record.reference ?? '';
  if (!reference) return 'reference is empty; each row needs the reporter’s own reference';
  const earlier = seen.get(reference);
  if (earlier !== undefined) return `reference ${reference} is also on line ${earlier}`;
  const amountText = record.amount ?? '';
  if (!/^[1-9][0-9]{0,14}$/.test(amountText)) return `amount ${JSON.stringify(amountText)} is not a positive whole number of fen`;
  const executedAt = record.executedAt ?? '';
  const millis = isoMillis(executedAt);
  if (millis === undefined) return `executedAt ${JSON.stringify(executedAt)} is not a real time in UTC (YYYY-MM-DDThh:mm:ss[.sss]Z)`;
  const row: TransferRow = {
    reference,
    fromAccount: record.payerAccount ?? '',
    toAccount: record.payeeAccount ?? '',
    amount: Number(amountText),
    currency: (record.currency || 'CNY') as 'CNY',
    purpose: record.purpose || DEFAULT_PURPOSE,
    executedAt,
    seconds: Math.floor(millis / 1000),
  };
  if (row.fromAccount && row.fromAccount === row.toAccount) return 'payerAccount and payeeAccount must be two different accounts';
  const { seconds: _seconds, ...input } = row;
  if (!transferChecker.Check(input)) {
    const error = transferChecker.Errors(input).First();
    const column = { fromAccount: 'payerAccount', toAccount: 'payeeAccount' }[error?.path.slice(1) ?? ''] ?? (error?.path.slice(1) || 'row');
    return `${column} ${error?.message ?? 'is invalid'}`;
  }
  return row;
}
