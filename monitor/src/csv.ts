// Transfers and labels from CSV files, streamed: a back-test of millions of rows holds one row at a time. The
// transfers file is the one the gateway's batch upload takes (TRANSFERS_CSV_COLUMNS).
import { IsoTime, TRANSFERS_CSV_COLUMNS } from '@regchain/common';
import { parse } from 'csv-parse';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import type { Label } from './synthetic';
import { type Transfer, TYPOLOGIES, type Typology } from './transfer';

export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/** The chaincode's form of a time (UTC, `Z`, at most milliseconds): what the upload records, the back-test reads. */
const ISO_UTC = new RegExp(IsoTime.pattern as string);

/**
 * Rows of a CSV file (gzipped when its name ends in .gz) with a header, checked for the columns it must have;
 * `onBytes` follows the reading (of the file as stored). With `columns` given, the header is replaced by them (a
 * header that names two columns alike).
 */
export async function* rows(
  file: string,
  required: readonly string[],
  onBytes?: (read: number) => void,
  columns?: readonly string[],
): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  const input = fs.createReadStream(file);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onBytes?.(read);
  });
  const text = file.endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
  const parser = text.pipe(parse({ columns: columns ? () => [...columns] : true, from_line: 1, skip_empty_lines: true, trim: true, bom: true, info: true }));
  let checked = false;
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!checked) {
        const missing = required.filter((c) => !(c in record.record));
        if (missing.length > 0) throw new CsvError(file, 1, `the header lacks ${missing.join(', ')}; it needs ${required.join(',')}`);
        checked = true;
      }
      yield { line: record.info.lines, row: record.record };
    }
  } catch (err) {
    if (err instanceof CsvError) throw err;
    throw new CsvError(file, 0, `not a CSV file: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

/**
 * Transfers of a CSV in file order: amounts in whole fen, executedAt ISO 8601 in UTC, references unique. A bad
 * row stops the reading, or with `onInvalid` is told to it and passed over.
 */
export async function* readTransfers(
  file: string,
  onBytes?: (read: number) => void,
  onInvalid?: (line: number, reason: string) => void,
): AsyncGenerator<Transfer> {
  const seen = new Set<string>();
  for await (const { line, row } of rows(file, TRANSFERS_CSV_COLUMNS, onBytes)) {
    const made = transferOf(row, seen);
    if (typeof made !== 'string') {
      seen.add(made.id);
      yield made;
    } else if (onInvalid) onInvalid(line, made);
    else throw new CsvError(file, line, made);
  }
}

/** A row's transfer, or why it is not one. */
function transferOf(row: Record<string, string>, seen: ReadonlySet<string>): Transfer | string {
  const reference = row.reference ?? '';
  if (!reference) return 'reference is empty';
  if (seen.has(reference)) return `reference ${reference} appears twice`;
  const amountText = row.amount ?? '';
  if (!/^[1-9][0-9]{0,14}$/.test(amountText)) return `amount ${JSON.stringify(amountText)} is not a positive whole number of fen`;
  const at = row.executedAt ?? '';
  const millis = ISO_UTC.test(at) ? Date.parse(at) : Number.NaN;
  // The form, and a real time: no 30th of February, no 25th hour.
  if (!Number.isFinite(millis) || new Date(millis).toISOString().slice(0, 19) !== at.slice(0, 19)) {
    return `executedAt ${JSON.stringify(at)} is not a time in UTC as the upload takes it (YYYY-MM-DDThh:mm:ss[.sss]Z)`;
  }
  const from = row.payerAccount ?? '';
  const to = row.payeeAccount ?? '';
  if (!from || !to || from === to) return 'payerAccount and payeeAccount must be two different accounts';
  return { id: reference, from, to, amount: Number(amountText), executedAt: Math.floor(millis / 1000) };
}

/** Labels: `reference,alertId,typology`, the typology one of TYPOLOGIES. */
export async function readLabels(file: string): Promise<Label[]> {
  const out: Label[] = [];
  for await (const { line, row } of rows(file, ['reference', 'alertId', 'typology'])) {
    const typology = row.typology as Typology;
    if (!TYPOLOGIES.includes(typology)) throw new CsvError(file, line, `typology ${JSON.stringify(row.typology)} is not one of ${TYPOLOGIES.join(', ')}`);
    if (!row.reference || !row.alertId) throw new CsvError(file, line, 'reference and alertId must not be empty');
    out.push({ reference: row.reference, alertId: row.alertId, typology });
  }
  return out;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** A transfers CSV the gateway's upload and `readTransfers` take. */
export function transfersCsv(transfers: readonly Transfer[]): string {
  const lines = [TRANSFERS_CSV_COLUMNS.join(',')];
  for (const t of transfers) lines.push(`${t.id},${t.from},${t.to},${t.amount},${iso(t.executedAt)}`);
  return `${lines.join('\n')}\n`;
}

export function labelsCsv(labels: readonly Label[]): string {
  return `${['reference,alertId,typology', ...labels.map((l) => `${l.reference},${l.alertId},${l.typology}`)].join('\n')}\n`;
}
