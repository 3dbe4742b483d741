// Transfers and labels from CSV files, streamed: a back-test of millions of rows holds one row at a time. The
// transfers file is the one the gateway's batch upload takes (TRANSFERS_CSV_COLUMNS).
import { TRANSFERS_CSV_COLUMNS } from '@regchain/common';
import { CsvError as SharedCsvError, csvRecords, transferRows } from '@regchain/common/node';
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
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

/**
 * Rows of a CSV file (gzipped when its name ends in .gz) with a header, checked for the columns it must have, by
 * the shared reader; `onBytes` follows the reading (of the file as stored). With `columns` given, the header is
 * replaced by them (a header that names two columns alike).
 */
export async function* rows(
  file: string,
  required: readonly string[],
  onBytes?: (read: number) => void,
  columns?: readonly string[],
): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  try {
    for await (const { line, record } of csvRecords(open(file, onBytes), required, columns)) yield { line, row: record };
  } catch (err) {
    if (err instanceof SharedCsvError) throw new CsvError(file, err.line, err.message);
    throw err;
  }
}

function open(file: string, onBytes?: (read: number) => void): Readable {
  const input = fs.createReadStream(file);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onBytes?.(read);
  });
  return file.endsWith('.gz') ? input.pipe(zlib.createGunzip()) : input;
}

/**
 * Transfers of a CSV in file order, by the rules the gateway's upload applies (the shared reader): a bad row
 * stops the reading, or with `onInvalid` is told to it and passed over.
 */
export async function* readTransfers(
  file: string,
  onBytes?: (read: number) => void,
  onInvalid?: (line: number, reason: string) => void,
): AsyncGenerator<Transfer> {
  try {
    for await (const read of transferRows(open(file, onBytes))) {
      if ('row' in read) {
        const r = read.row;
        yield { id: r.reference, from: r.fromAccount, to: r.toAccount, amount: r.amount, executedAt: r.seconds, purpose: r.purpose };
      } else if (onInvalid) onInvalid(read.line, read.problem);
      else throw new CsvError(file, read.line, read.problem);
    }
  } catch (err) {
    if (err instanceof SharedCsvError) throw new CsvError(file, err.line, err.message);
    throw err;
  }
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
