// CSV uploads of transfers, as banks report them: checked whole, as a stream and off the event loop, before
// anything is sent, then submitted in batches (transfer:recordBatch, partial) with progress kept in the gateway's
// database (the rows in a file beside it, written by the checking worker), so a
// gateway that crashed or restarted resumes where it stopped. Each row carries the reporter's own reference, which
// the chaincode keeps unique per reporter, so a batch sent twice records nothing twice. Callers are served in
// turn, a batch each, so one member's large file holds back no other member; finished uploads are forgotten
// after a retention period.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import writeFileAtomic from 'write-file-atomic';
import { MAX_PROBLEMS, type RowProblem, type UploadItem } from './csv';
import { ApiError } from './errors';
import type { GatewayDatabase } from './store/database';

export type { RowProblem, UploadItem } from './csv';

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
  /** Rows one caller may have waiting across its uploads; a file beyond it is refused (429). */
  readonly maxPendingRows?: number;
  /** How long a finished upload's status stays to be asked, in seconds; then its files are removed. */
  readonly retentionSeconds?: number;
  /** Called once a batch is answered, before its progress is saved; tests crash here. */
  readonly onBatchAnswered?: (uploadId: string, batch: number) => void;
}

const MAX_FAILURES_KEPT = 100;
/** Files checked at once, each in a worker thread of its own: what the gateway's cores can spare. */
const CHECKS_AT_ONCE = 2;

/** One row of an upload's items file: the transfer and its line in the file. */
interface Row {
  readonly line: number;
  readonly item: UploadItem;
}

/**
 * Checks a CSV in a worker thread as its bytes arrive, writing its good rows to `itemsFile`: the event loop only
 * passes chunks on, never holds the file, and stops passing them once the check has its answer (the first 20
 * problems) or the file passes `limit` bytes (413).
 */
function checkInWorker(source: Readable | Uint8Array, itemsFile: string, limit: number): Promise<{ count: number; problems: RowProblem[] }> {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `csv-worker${ext}`);
  // Run from TypeScript sources (tsx, tests), the worker loads them the same way, through tsx's require hook.
  const worker =
    ext === '.ts'
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`, { eval: true, workerData: { itemsFile } })
      : new Worker(file, { workerData: { itemsFile } });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      // What the client still sends is read and dropped, so it gets its answer.
      if (source instanceof Readable) source.resume();
      outcome();
    };
    worker.once('message', (result: { count: number; problems: RowProblem[] }) => finish(() => resolve(result)));
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`the CSV check stopped with exit code ${code}`))));
    if (!(source instanceof Readable)) {
      worker.postMessage({ chunk: source });
      worker.postMessage({ end: true });
      return;
    }
    let bytes = 0;
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      bytes += chunk.length;
      if (bytes > limit) {
        fs.rmSync(itemsFile, { force: true });
        finish(() => reject(new ApiError(413, 'PAYLOAD_TOO_LARGE', `the file is larger than ${limit} bytes`)));
        return;
      }
      worker.postMessage({ chunk });
    });
    source.once('end', () => void (settled || worker.postMessage({ end: true })));
    source.once('error', (err) => finish(() => reject(err)));
  });
}

export class Uploads {
  readonly #dir: string;
  readonly #submit: (callerId: string, items: readonly UploadItem[]) => Promise<BatchOutcome>;
  readonly #options: UploadsOptions;
  /** Each caller's uploads waiting or running, oldest first; callers are served in turn, a batch each. */
  readonly #queues = new Map<string, string[]>();
  /** The rows still to send of each upload in the queues. */
  readonly #remaining = new Map<string, number>();
  /** Open readers of the uploads being sent, one row after another. */
  readonly #readers = new Map<string, AsyncIterator<string>>();
  #pump: Promise<void> = Promise.resolve();
  #pumping = false;
  #checks = 0;
  readonly #waitingChecks: (() => void)[] = [];
  #closed = false;
  readonly #sweeper: NodeJS.Timeout;

  readonly #database: GatewayDatabase;

  constructor(
    database: GatewayDatabase,
    dataDir: string,
    submit: (callerId: string, items: readonly UploadItem[]) => Promise<BatchOutcome>,
    options: UploadsOptions = {},
  ) {
    this.#database = database;
    this.#dir = path.join(dataDir, 'uploads');
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#submit = submit;
    this.#options = options;
    this.#sweeper = setInterval(() => void this.sweep().catch(() => undefined), Math.max(60, this.#retention / 4) * 1000);
    this.#sweeper.unref();
  }

  get #retention(): number {
    return this.#options.retentionSeconds ?? 24 * 3600;
  }

  #itemsFile = (id: string): string => path.join(this.#dir, `${id}.items.ndjson`);

  async #read(id: string): Promise<Progress | undefined> {
    const db = await this.#database.ready();
    return (await db.query<{ progress: Progress }>('SELECT progress FROM uploads WHERE upload_id = $1', [id])).rows[0]?.progress;
  }

  /** Saves an upload's progress, one statement: a crash leaves the last saved batch, never half of one. */
  async #save(p: Progress): Promise<void> {
    const db = await this.#database.ready();
    await db.query(
      `INSERT INTO uploads (upload_id, caller_id, status, progress, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (upload_id) DO UPDATE SET status = EXCLUDED.status, progress = EXCLUDED.progress, updated_at = EXCLUDED.updated_at`,
      [p.uploadId, p.callerId, p.status, JSON.stringify(p), p.createdAt, Date.parse(p.updatedAt)],
    );
  }

  /** Progress files an earlier version kept (UPL-….json), moved into the database once. */
  async #adoptFiles(): Promise<void> {
    for (const file of fs.readdirSync(this.#dir).filter((f) => /^UPL-[0-9a-f]{18}\.json$/.test(f))) {
      try {
        await this.#save(JSON.parse(fs.readFileSync(path.join(this.#dir, file), 'utf8')) as Progress);
        fs.rmSync(path.join(this.#dir, file), { force: true });
      } catch {
        // A torn file from a crash mid-write: its upload cannot be told apart from one never made.
      }
    }
  }

  /** Rows the caller has waiting across its uploads. */
  #pendingRows(callerId: string): number {
    return (this.#queues.get(callerId) ?? []).reduce((n, id) => n + (this.#remaining.get(id) ?? 0), 0);
  }

  /**
   * Checks a CSV file as it arrives (in a worker thread, stopping at the first problems) and queues its rows;
   * answers at once with the upload's status. A file with problems is refused whole (400, its first problems
   * named), one over `limit` bytes with 413, and one that would put the caller over its pending rows with 429;
   * nothing is kept of any of them.
   */
  async upload(callerId: string, csv: Readable | Uint8Array, limit = Number.POSITIVE_INFINITY): Promise<UploadStatus> {
    const uploadId = this.#newId();
    const itemsFile = this.#itemsFile(uploadId);
    await this.#checkSlot();
    let checked: { count: number; problems: RowProblem[] };
    try {
      checked = await checkInWorker(csv, itemsFile, limit);
    } finally {
      this.#releaseCheck();
    }
    const { count, problems } = checked;
    if (problems.length > 0) {
      const more = problems.length >= MAX_PROBLEMS ? ` (the check stopped at the first ${MAX_PROBLEMS})` : '';
      throw new ApiError(400, 'VALIDATION_FAILED', `the CSV has ${problems.length} bad row(s)${more}; line ${problems[0]?.line}: ${problems[0]?.message}`, {
        details: { problems },
      });
    }
    return this.#accept(uploadId, callerId, count);
  }

  /** Queues rows already checked (tests, tools): the same as an upload whose file held them. */
  async create(callerId: string, items: readonly UploadItem[]): Promise<UploadStatus> {
    const uploadId = this.#newId();
    await writeFileAtomic(this.#itemsFile(uploadId), items.map((item, i) => `${JSON.stringify({ line: i + 2, item } satisfies Row)}\n`).join(''), {
      mode: 0o600,
    });
    return this.#accept(uploadId, callerId, items.length);
  }

  #newId(): string {
    return `UPL-${crypto.randomBytes(9).toString('hex')}`;
  }

  async #accept(uploadId: string, callerId: string, total: number): Promise<UploadStatus> {
    const cap = this.#options.maxPendingRows ?? 1_000_000;
    if (this.#pendingRows(callerId) + total > cap) {
      fs.rmSync(this.#itemsFile(uploadId), { force: true });
      throw new ApiError(
        429,
        'UPLOAD_QUEUE_FULL',
        `caller ${callerId} has ${this.#pendingRows(callerId)} rows waiting; ${total} more would pass ${cap}: wait for them`,
        {
          retryAfter: 30,
        },
      );
    }
    const now = new Date().toISOString();
    const progress: Progress = {
      uploadId,
      callerId,
      batchSize: this.#options.batchSize ?? 200,
      status: 'running',
      total,
      processed: 0,
      recorded: 0,
      alreadyRecorded: 0,
      failed: 0,
      failures: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.#save(progress);
    this.#enqueue(progress);
    return publicStatus(progress);
  }

  async #checkSlot(): Promise<void> {
    if (this.#checks < CHECKS_AT_ONCE) {
      this.#checks += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waitingChecks.push(resolve));
  }

  #releaseCheck(): void {
    const next = this.#waitingChecks.shift();
    if (next) next();
    else this.#checks -= 1;
  }

  /** The status of one of the caller's uploads; another caller's answers as missing. */
  async status(callerId: string, uploadId: string): Promise<UploadStatus> {
    const progress = /^UPL-[0-9a-f]{18}$/.test(uploadId) ? await this.#read(uploadId) : undefined;
    if (!progress || progress.callerId !== callerId) throw new ApiError(404, 'UPLOAD_NOT_FOUND', `no upload ${uploadId} of yours`);
    return publicStatus(progress);
  }

  /** Picks up every upload a stopped gateway left running, and forgets the finished ones past retention. */
  async resume(): Promise<number> {
    await this.#adoptFiles();
    await this.sweep();
    const db = await this.#database.ready();
    const running = (await db.query<{ progress: Progress }>("SELECT progress FROM uploads WHERE status = 'running' ORDER BY created_at, upload_id")).rows.map(
      (r) => r.progress,
    );
    for (const p of running) this.#enqueue(p);
    return running.length;
  }

  /** Forgets uploads finished longer than the retention period ago (and any rows file left of them). */
  async sweep(now = Date.now()): Promise<number> {
    const db = await this.#database.ready();
    const gone = (
      await db.query<{ upload_id: string }>("DELETE FROM uploads WHERE status <> 'running' AND updated_at + $1 <= $2 RETURNING upload_id", [
        this.#retention * 1000,
        now,
      ])
    ).rows;
    for (const { upload_id: id } of gone) fs.rmSync(this.#itemsFile(id), { force: true });
    return gone.length;
  }

  /** Waits for the batch in progress to reach a saved point; no new batch starts. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await this.#pump;
    for (const reader of this.#readers.values()) await reader.return?.();
    this.#readers.clear();
  }

  /** Resolves once every queued upload has finished (or the service closed). */
  async idle(): Promise<void> {
    while (this.#pumping) await this.#pump;
  }

  #enqueue(p: Progress): void {
    this.#queues.set(p.callerId, [...(this.#queues.get(p.callerId) ?? []), p.uploadId]);
    this.#remaining.set(p.uploadId, p.total - p.processed);
    if (!this.#pumping) {
      this.#pumping = true;
      this.#pump = this.#serve().finally(() => {
        this.#pumping = false;
      });
    }
  }

  /** Serves the callers in turn, one batch of each one's oldest upload, until no upload waits. */
  async #serve(): Promise<void> {
    while (!this.#closed && this.#queues.size > 0) {
      for (const [callerId, queue] of [...this.#queues]) {
        if (this.#closed) return;
        const uploadId = queue[0];
        if (!uploadId) {
          this.#queues.delete(callerId);
          continue;
        }
        const finished = await this.#batch(uploadId).catch(() => true);
        if (finished) {
          queue.shift();
          this.#remaining.delete(uploadId);
          if (queue.length === 0) this.#queues.delete(callerId);
        }
      }
    }
  }

  /** The next `n` rows of an upload, read from its items file where the last batch stopped. */
  async #rows(uploadId: string, skip: number, n: number): Promise<Row[]> {
    let reader = this.#readers.get(uploadId);
    if (!reader) {
      const lines = readline.createInterface({ input: fs.createReadStream(this.#itemsFile(uploadId)), crlfDelay: Infinity });
      reader = lines[Symbol.asyncIterator]();
      for (let i = 0; i < skip; i += 1) await reader.next();
      this.#readers.set(uploadId, reader);
    }
    const rows: Row[] = [];
    while (rows.length < n) {
      const next = await reader.next();
      if (next.done) break;
      if (next.value) rows.push(JSON.parse(next.value) as Row);
    }
    return rows;
  }

  /** Sends one batch of the upload and saves its progress; answers whether the upload is finished. */
  async #batch(uploadId: string): Promise<boolean> {
    let progress = await this.#read(uploadId);
    if (!progress || progress.status !== 'running') return true;
    const start: number = progress.processed;
    const rows = await this.#rows(uploadId, start, progress.batchSize);
    let outcome: BatchOutcome;
    try {
      outcome = await this.#submit(
        progress.callerId,
        rows.map((r) => r.item),
      );
    } catch (err) {
      // Refused as a whole (the caller revoked, the network gone for good): the upload stops here and says why.
      progress = { ...progress, status: 'failed', error: (err as Error).message, updatedAt: new Date().toISOString() };
      await this.#finish(uploadId, progress);
      return true;
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
        if (failures.length < MAX_FAILURES_KEPT) failures.push({ line: rows[r.index]?.line ?? 0, code: r.code ?? 'FAILED', message: r.message ?? '' });
      }
    }
    const processed: number = start + rows.length;
    const done = processed >= progress.total || rows.length === 0;
    progress = { ...progress, processed, recorded, alreadyRecorded, failed, failures, status: done ? 'done' : 'running', updatedAt: new Date().toISOString() };
    this.#remaining.set(uploadId, progress.total - processed);
    if (done) await this.#finish(uploadId, progress);
    else await this.#save(progress);
    return done;
  }

  /** Saves the final status; the rows are no longer needed. */
  async #finish(uploadId: string, progress: Progress): Promise<void> {
    await this.#save(progress);
    await this.#readers.get(uploadId)?.return?.();
    this.#readers.delete(uploadId);
    fs.rmSync(this.#itemsFile(uploadId), { force: true });
  }
}

function publicStatus(p: Progress): UploadStatus {
  const { callerId: _caller, batchSize: _size, ...status } = p;
  return status;
}
