// The transfers CSV as banks upload it: read as a stream by the shared reader (the back-test reads files with the
// same one), stopping at the first 20 problems; the rows go to a sink as they are read, never all held at once.
import { CsvError, transferRows, type TransferRow } from '@regchain/common/node';
import { Readable } from 'node:stream';

/** A file with more problems than this is refused with these: enough to fix it by, and no more work. */
export const MAX_PROBLEMS = 20;

/** One transfer of an upload, as the chain's transfer:record takes it. */
export type UploadItem = Omit<TransferRow, 'seconds'>;

export interface RowProblem {
  /** 1-based line of the file, the header being line 1 (blank lines counted). */
  readonly line: number;
  readonly message: string;
}

/**
 * Reads a transfers CSV, handing each good row to `sink` in file order; answers how many rows were good and the
 * problems found, stopping after MAX_PROBLEMS. The caller keeps the rows only when there are no problems.
 */
export async function checkTransfersCsv(
  source: Readable | Uint8Array | string,
  sink: (item: UploadItem, line: number) => void,
): Promise<{ count: number; problems: RowProblem[] }> {
  const problems: RowProblem[] = [];
  let count = 0;
  let rows = 0;
  const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
  try {
    for await (const read of transferRows(input)) {
      rows += 1;
      if ('problem' in read) problems.push({ line: read.line, message: read.problem });
      else {
        count += 1;
        const { seconds: _seconds, ...item } = read.row;
        if (problems.length === 0) sink(item, read.line);
      }
      if (problems.length >= MAX_PROBLEMS) break;
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    problems.push({ line: err.line, message: err.message });
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
