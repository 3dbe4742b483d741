// CSV uploads of transfers, as banks report them: checked whole before anything is sent, then submitted in
// batches (transfer:recordBatch, partial) one after another, with progress kept on disk so a gateway that
// crashed or restarted resumes where it stopped. Each row carries the reporter's own reference, which the
// chaincode keeps unique per reporter, so a batch sent twice records nothing twice.
import { TRANSFERS_CSV_COLUMNS, TransferInput } from '@regchain/common';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'csv-parse/sync';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ApiError } from './errors';

/** Every upload has TRANSFERS_CSV_COLUMNS; `purpose` and `currency` may be added (defaults `general`, `CNY`), others are ignored. */
const DEFAULT_PURPOSE = 'general';

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
  /** 1-based line of the file, the header being line 1. */
  readonly line: number;
  readonly message: string;
}

/** Reads a transfers CSV; every row is checked against the transfer schema, and all problems are named. */
export function parseTransfersCsv(text: string): { items: UploadItem[]; problems: RowProblem[] } {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    return { items: [], problems: [{ line: 0, message: `not a CSV file: ${(err as Error).message}` }] };
  }
  const header = rows.length > 0 ? Object.keys(rows[0] as Record<string, string>) : (text.split(/\r?\n/)[0] ?? '').split(',').map((c) => c.trim());
  const missing = TRANSFERS_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    return { items: [], problems: [{ line: 1, message: `the header lacks ${missing.join(', ')}; it needs ${TRANSFERS_CSV_COLUMNS.join(',')}` }] };
  const items: UploadItem[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const amount = /^[0-9]{1,15}$/.test(row.amount ?? '') ? Number(row.amount) : Number.NaN;
    const item = {
      fromAccount: row.payerAccount ?? '',
      toAccount: row.payeeAccount ?? '',
      amount,
      currency: (row.currency || 'CNY') as 'CNY',
      purpose: row.purpose || DEFAULT_PURPOSE,
      reference: row.reference ?? '',
      executedAt: row.executedAt ?? '',
    };
    const error = [...Value.Errors(TransferInput, item)][0];
    if (error) problems.push({ line, message: `${error.path.slice(1) || 'row'} ${error.message}` });
    else if (!item.reference) problems.push({ line, message: 'reference is empty; each row needs the reporter’s own reference' });
    else if (seen.has(item.reference)) problems.push({ line, message: `reference ${item.reference} is also on line ${seen.get(item.reference)}` });
    else items.push(item);
    seen.set(item.reference, seen.get(item.reference) ?? line);
  });
  if (rows.length === 0) problems.push({ line: 1, message: 'the file has no rows' });
  return { items, problems };
}

/** What a batch answered: per item, recorded or why not. */
export interface BatchOutcome {
  readonly results: readonly { readonly index: number; readonly status: 'recorded' | 'failed'; readonly code?: string; readonly message?: string }[];
}

export interface UploadStatus {
  readonly uploadId: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly total: number;
  /** Rows sent and answered. */
  readonly processed: number;
  readonly recorded: number;
  /** Rows found already recorded (a batch sent again after a crash). */
  readonly alreadyRecorded: number;
  readonly failed: number;
  /** The first rows that failed, with the chaincode's code and reason. */
  readonly failures: readonly { readonly line: number; readonly code: string; readonly message: string }[];
  readonly error?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Progress extends UploadStatus {
  readonly callerId: string;
  readonly batchSize: number;
}

export interface UploadsOptions {
  /** Rows per transaction. */
  readonly batchSize?: number;
  /** Called once a batch is answered, before its progress is saved; tests crash here. */
  readonly onBatchAnswered?: (uploadId: string, batch: number) => void;
}

const MAX_FAILURES_KEPT = 100;

export class Uploads {
  readonly #dir: string;
  readonly #submit: (callerId: string, items: readonly UploadItem[]) => Promise<BatchOutcome>;
  readonly #options: UploadsOptions;
  /** One upload at a time: batches of different uploads would compete for the same peers for nothing. */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(dataDir: string, submit: (callerId: string, items: readonly UploadItem[]) => Promise<BatchOutcome>, options: UploadsOptions = {}) {
    this.#dir = path.join(dataDir, 'uploads');
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#submit = submit;
    this.#options = options;
  }

  #progressFile = (id: string): string => path.join(this.#dir, `${id}.json`);
  #itemsFile = (id: string): string => path.join(this.#dir, `${id}.items.json`);

  #read(id: string): Progress | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.#progressFile(id), 'utf8')) as Progress;
    } catch {
      return undefined;
    }
  }

  /** Keeps the rows and starts sending them; answers at once with the upload's status. */
  async create(callerId: string, items: readonly UploadItem[]): Promise<UploadStatus> {
    const uploadId = `UPL-${crypto.randomBytes(9).toString('hex')}`;
    const now = new Date().toISOString();
    const progress: Progress = {
      uploadId,
      callerId,
      batchSize: this.#options.batchSize ?? 200,
      status: 'running',
      total: items.length,
      processed: 0,
      recorded: 0,
      alreadyRecorded: 0,
      failed: 0,
      failures: [],
      createdAt: now,
      updatedAt: now,
    };
    await writeFileAtomic(this.#itemsFile(uploadId), JSON.stringify(items), { mode: 0o600 });
    await writeFileAtomic(this.#progressFile(uploadId), JSON.stringify(progress), { mode: 0o600 });
    this.#enqueue(uploadId);
    return publicStatus(progress);
  }

  /** The status of one of the caller's uploads; another caller's answers as missing. */
  status(callerId: string, uploadId: string): UploadStatus {
    const progress = /^UPL-[0-9a-f]{18}$/.test(uploadId) ? this.#read(uploadId) : undefined;
    if (!progress || progress.callerId !== callerId) throw new ApiError(404, 'UPLOAD_NOT_FOUND', `no upload ${uploadId} of yours`);
    return publicStatus(progress);
  }

  /** Picks up every upload a stopped gateway left running. */
  resume(): number {
    const running = fs
      .readdirSync(this.#dir)
      .filter((f) => /^UPL-[0-9a-f]{18}\.json$/.test(f))
      .map((f) => f.slice(0, -5))
      .filter((id) => this.#read(id)?.status === 'running');
    for (const id of running) this.#enqueue(id);
    return running.length;
  }

  /** Waits for the upload in progress to reach a saved point; no new batch starts. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }

  /** Resolves once every queued upload has finished (or the service closed). */
  idle(): Promise<void> {
    return this.#queue;
  }

  #enqueue(uploadId: string): void {
    this.#queue = this.#queue.then(() => this.#run(uploadId)).catch(() => undefined);
  }

  async #run(uploadId: string): Promise<void> {
    let progress: Progress | undefined = this.#read(uploadId);
    if (!progress || progress.status !== 'running') return;
    const items = JSON.parse(fs.readFileSync(this.#itemsFile(uploadId), 'utf8')) as UploadItem[];
    while (progress.processed < progress.total && !this.#closed) {
      const start: number = progress.processed;
      const batch = items.slice(start, start + progress.batchSize);
      let outcome: BatchOutcome;
      try {
        outcome = await this.#submit(progress.callerId, batch);
      } catch (err) {
        // Refused as a whole (the caller revoked, the network gone for good): the upload stops here and says why.
        progress = { ...progress, status: 'failed', error: (err as Error).message, updatedAt: new Date().toISOString() };
        await writeFileAtomic(this.#progressFile(uploadId), JSON.stringify(progress), { mode: 0o600 });
        return;
      }
      this.#options.onBatchAnswered?.(uploadId, start / progress.batchSize);
      let recorded: number = progress.recorded;
      let alreadyRecorded: number = progress.alreadyRecorded;
      let failed: number = progress.failed;
      const failures: Progress['failures'][number][] = [...progress.failures];
      for (const r of outcome.results) {
        if (r.status === 'recorded') recorded += 1;
        else if (r.code === 'TRANSFER_DUPLICATE') alreadyRecorded += 1;
        else {
          failed += 1;
          if (failures.length < MAX_FAILURES_KEPT) failures.push({ line: start + r.index + 2, code: r.code ?? 'FAILED', message: r.message ?? '' });
        }
      }
      const processed: number = start + batch.length;
      progress = {
        ...progress,
        processed,
        recorded,
        alreadyRecorded,
        failed,
        failures,
        status: processed >= progress.total ? 'done' : 'running',
        updatedAt: new Date().toISOString(),
      };
      await writeFileAtomic(this.#progressFile(uploadId), JSON.stringify(progress), { mode: 0o600 });
    }
  }
}

function publicStatus(p: Progress): UploadStatus {
  const { callerId: _caller, batchSize: _size, ...status } = p;
  return status;
}
